/**
 * Inverts a small symmetric positive definite matrix (row-major, n × n) by Cholesky
 * decomposition. Returns null when the matrix is not positive definite (a parameter the data
 * do not identify).
 */
export function invertSpd(m: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i * n + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i * n + i] = Math.sqrt(sum);
      } else l[i * n + j] = sum / (l[j * n + j] as number);
    }
  }
  // L⁻¹ by forward substitution, then (L⁻¹)ᵀ L⁻¹.
  const li = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    for (let i = c; i < n; i++) {
      let sum = i === c ? 1 : 0;
      for (let k = c; k < i; k++) sum -= (l[i * n + k] as number) * (li[k * n + c] as number);
      li[i * n + c] = sum / (l[i * n + i] as number);
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = i; k < n; k++) sum += (li[k * n + i] as number) * (li[k * n + j] as number);
      inv[i * n + j] = sum;
      inv[j * n + i] = sum;
    }
  }
  return inv;
}
