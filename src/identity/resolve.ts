/**
 * The identity rules as a pure function of the link evidence (README, "Identity"): the same
 * evidence gives the same persons whatever order the events arrived in.
 */

/** A point where a device (anonymous id) was seen with a different user id than just before. */
export interface DeviceSwitch {
  readonly anonymousId: string;
  readonly userId: string;
  /** Event time, microseconds since the epoch. */
  readonly atUs: number;
}

/** An `alias` call between two ids that are both user ids: an explicit merge. */
export interface UserAlias {
  readonly previousId: string;
  readonly userId: string;
}

/** One row of person_distinct_ids: the id belongs to the person during [fromUs, toUs). */
export interface DistinctIdMapping {
  readonly distinctId: string;
  readonly personId: string;
  readonly fromUs: number | null;
  readonly toUs: number | null;
}

/** Union-find over user ids; a component's person id is its smallest id, so it needs no state. */
class UserComponents {
  private readonly parent = new Map<string, string>();

  find(id: string): string {
    let root = id;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    // Path compression keeps later finds near constant time.
    for (let cur = id; cur !== root; ) {
      const next = this.parent.get(cur) ?? root;
      this.parent.set(cur, root);
      cur = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The lexicographically smaller root wins: the result does not depend on union order.
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }

  ids(): string[] {
    return [...this.parent.keys()];
  }

  add(id: string): void {
    if (!this.parent.has(id)) this.parent.set(id, id);
  }
}

/**
 * Maps distinct ids to persons. User ids joined by `alias` form one person; a device belongs to
 * the user it was identified as, from that identify until another user identifies on it (the
 * shared-device rule), and its activity before the first identify belongs to that first user.
 * Two user ids are never merged through a device. Switches must be sorted by device, then time.
 */
export function resolveIdentities(
  switches: readonly DeviceSwitch[],
  aliases: readonly UserAlias[],
  userIds: ReadonlySet<string>,
): DistinctIdMapping[] {
  const users = new UserComponents();
  for (const id of userIds) users.add(id);
  for (const a of aliases) {
    users.add(a.previousId);
    users.add(a.userId);
    users.union(a.previousId, a.userId);
  }
  for (const s of switches) if (!userIds.has(s.anonymousId)) users.add(s.userId);
  const out: DistinctIdMapping[] = users.ids().map((id) => ({
    distinctId: id,
    personId: users.find(id),
    fromUs: null,
    toUs: null,
  }));
  let i = 0;
  while (i < switches.length) {
    const anonymousId = (switches[i] as DeviceSwitch).anonymousId;
    const run: DeviceSwitch[] = [];
    for (; i < switches.length && (switches[i] as DeviceSwitch).anonymousId === anonymousId; i++)
      run.push(switches[i] as DeviceSwitch);
    // A user id that a device id also names is a user, not a device (an alias between users).
    if (userIds.has(anonymousId)) continue;
    out.push(...deviceIntervals(anonymousId, run, users));
  }
  return out;
}

function deviceIntervals(
  anonymousId: string,
  run: readonly DeviceSwitch[],
  users: UserComponents,
): DistinctIdMapping[] {
  const out: DistinctIdMapping[] = [];
  run.forEach((s, k) => {
    const personId = users.find(s.userId);
    const last = out[out.length - 1];
    // Two switches to users of one person are one interval.
    if (last && last.personId === personId) return;
    if (last) out[out.length - 1] = { ...last, toUs: s.atUs };
    out.push({ distinctId: anonymousId, personId, fromUs: k === 0 ? null : s.atUs, toUs: null });
  });
  return out;
}
