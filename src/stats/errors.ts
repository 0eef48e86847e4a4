/**
 * stats depends on no other module (ARCHITECTURE.md, "Modules"), so it cannot throw core's
 * PathwiseError; callers at the edge (experiments, CLI, server) turn this into PW_STATS_INVALID_INPUT.
 */
export class StatsInputError extends RangeError {
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.name = 'StatsInputError';
    this.reason = reason;
  }
}

/** Throws a StatsInputError with the reason unless the condition holds. */
export function check(condition: boolean, reason: string): asserts condition {
  if (!condition) throw new StatsInputError(reason);
}

/** A level such as alpha or power must lie strictly between 0 and 1. */
export function checkProbability(value: number, name: string): void {
  check(Number.isFinite(value) && value > 0 && value < 1, `${name} must be between 0 and 1, got ${value}`);
}

/** A count of observations must be a positive integer. */
export function checkCount(value: number, name: string, min = 1): void {
  check(Number.isInteger(value) && value >= min, `${name} must be an integer >= ${min}, got ${value}`);
}

/** A number that must be finite. */
export function checkFinite(value: number, name: string): void {
  check(Number.isFinite(value), `${name} must be a finite number, got ${value}`);
}
