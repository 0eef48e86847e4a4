import type { EventRow, RejectedRow } from '../core/index.js';
import { listProjects, type PrivacySettings, readPrivacySettings, type Warehouse } from '../store/index.js';
import { storedIpRule } from './minimize-ip.js';
import { compileMasker } from './minimize-mask.js';
import { cookielessId, SaltStore } from './minimize-salts.js';
import { OptOutRegistry } from './subject-opt-out.js';

/** The minimization rules ingest calls (structurally ingest's MinimizeRules). */
export interface CompiledRules {
  readonly maskObject?: (value: Record<string, unknown>) => Record<string, unknown>;
  readonly storedIp?: (ip: string) => string | null;
  readonly cookielessId?: (ip: string | null, userAgent: string | null, receivedAtUs: number) => string;
}

interface ProjectRules {
  readonly rules: CompiledRules | null;
  /** Minimizes a rejected payload as stored (masking, then the address of each message). */
  readonly rawMinimizer: ((raw: string) => string) | null;
}

/** Options of the policy (the server wires metrics and logs through them). */
export interface PolicyOptions {
  readonly clockUs?: () => number;
  readonly onOptedOut?: (projectId: string, events: number) => void;
  readonly onError?: (err: unknown) => void;
}

type Obj = Record<string, unknown>;

const OPT_OUT_TRAIT = 'pathwise_opt_out';
const OPT_OUT_EVENT = '$opt_out';

/** `$opt_out` or an identify whose traits set `pathwise_opt_out` (README, "Privacy"). */
function optOutSignal(e: EventRow): 'out' | 'in' | null {
  if (e.type === 'track' && e.event === OPT_OUT_EVENT) return 'out';
  if (e.type !== 'identify' || !e.traits?.includes(OPT_OUT_TRAIT)) return null;
  const value = (JSON.parse(e.traits) as Obj)[OPT_OUT_TRAIT];
  if (value === true || value === 'true') return 'out';
  if (value === false || value === 'false') return 'in';
  return null;
}

function minimizeMessage(message: unknown, rules: CompiledRules): unknown {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return message;
  let out = rules.maskObject ? rules.maskObject(message as Obj) : (message as Obj);
  const context = out.context as Obj | undefined;
  if (rules.storedIp && typeof context?.ip === 'string') {
    const ip = rules.storedIp(context.ip);
    const { ip: _sent, ...rest } = context;
    out = { ...out, context: ip === null ? rest : { ...rest, ip } };
  }
  return out;
}

function compile(settings: PrivacySettings, projectId: string, salts: SaltStore): ProjectRules {
  const masker = compileMasker(settings);
  const storedIp = storedIpRule(settings.ipMode);
  const rules: CompiledRules = {
    ...(masker ? { maskObject: masker.maskObject } : {}),
    ...(storedIp ? { storedIp } : {}),
    ...(settings.isCookieless
      ? {
          cookielessId: (ip: string | null, ua: string | null, atUs: number) =>
            cookielessId(salts.saltFor(atUs), projectId, ip, ua),
        }
      : {}),
  };
  if (Object.keys(rules).length === 0) return { rules: null, rawMinimizer: null };
  const rawMinimizer = (raw: string): string => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return masker ? masker.maskText(raw) : raw;
    }
    const batch = (parsed as { batch?: unknown } | null)?.batch;
    const out = Array.isArray(batch)
      ? { ...(parsed as Obj), batch: batch.map((m) => minimizeMessage(m, rules)) }
      : minimizeMessage(parsed, rules);
    return JSON.stringify(out);
  };
  return { rules, rawMinimizer };
}

/** The ids a rejected payload names, when it parses as one message. */
function rejectedIds(raw: string): string[] {
  try {
    const m = JSON.parse(raw) as { userId?: unknown; anonymousId?: unknown } | null;
    return [m?.userId, m?.anonymousId].filter((v) => v !== undefined && v !== null).map(String);
  } catch {
    return [];
  }
}

/**
 * The privacy rules at ingest (structurally ingest's IngestPolicy): per-project minimization
 * compiled from the stored settings, and the opt-out screen. Settings changed through the API
 * take effect at once (`reload`); `pathwise project set` needs the server stopped (DuckDB's
 * file lock), so a restart loads it.
 */
export class PrivacyPolicy {
  private readonly byProject = new Map<string, ProjectRules>();

  private constructor(
    private readonly wh: Warehouse,
    readonly optOuts: OptOutRegistry,
    readonly salts: SaltStore,
    private readonly options: PolicyOptions,
  ) {}

  /** Loads every project's settings, the opt-out set and today's cookieless salt. */
  static async open(wh: Warehouse, options: PolicyOptions = {}): Promise<PrivacyPolicy> {
    const salts = await SaltStore.open(wh, {
      ...(options.clockUs ? { clockUs: options.clockUs } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    const policy = new PrivacyPolicy(wh, await OptOutRegistry.load(wh), salts, options);
    for (const project of await listProjects(wh)) policy.apply(project.projectId, project.privacy);
    return policy;
  }

  private apply(projectId: string, settings: PrivacySettings): void {
    this.byProject.set(projectId, compile(settings, projectId, this.salts));
  }

  /** Re-reads a project's settings after a change. */
  async reload(projectId: string): Promise<void> {
    this.apply(projectId, await readPrivacySettings(this.wh, projectId));
  }

  /** A project's minimization rules; null when it has none (or was created after the start). */
  rulesFor(projectId: string): CompiledRules | null {
    return this.byProject.get(projectId)?.rules ?? null;
  }

  /**
   * Drops events of opted-out persons, records opt-out and opt-in calls (an opt-out call is not
   * stored either), and minimizes rejected payloads. Events are taken in order, so an opt-out
   * call also drops the events after it in the same batch.
   */
  async screen(
    events: EventRow[],
    rejected: RejectedRow[],
  ): Promise<{ events: EventRow[]; rejected: RejectedRow[]; optedOut: number }> {
    const drops = new Map<string, number>();
    const drop = (projectId: string) => drops.set(projectId, (drops.get(projectId) ?? 0) + 1);
    const kept: EventRow[] = [];
    for (const e of events) {
      const signal = optOutSignal(e);
      // The common case stays synchronous: no opt-out call, no opt-out in the project.
      if (signal === null && !this.optOuts.hasAny(e.projectId)) kept.push(e);
      else if (await this.screenEvent(e, signal)) kept.push(e);
      else drop(e.projectId);
    }
    const keptRejected: RejectedRow[] = [];
    for (const r of rejected) {
      const projectId = r.projectId;
      if (projectId === null) {
        keptRejected.push(r);
        continue;
      }
      if (
        this.optOuts.hasAny(projectId) &&
        rejectedIds(r.raw).some((id) => this.optOuts.personOf(projectId, id))
      ) {
        drop(projectId);
        continue;
      }
      const minimize = this.byProject.get(projectId)?.rawMinimizer;
      keptRejected.push(minimize ? { ...r, raw: minimize(r.raw) } : r);
    }
    let optedOut = 0;
    for (const [projectId, n] of drops) {
      optedOut += n;
      await this.countDrops(projectId, n);
    }
    return { events: kept, rejected: keptRejected, optedOut };
  }

  /** True when the event is stored. */
  private async screenEvent(e: EventRow, signal: 'out' | 'in' | null): Promise<boolean> {
    if (signal === 'out') {
      const extra = e.anonymousId === null ? [] : [e.anonymousId];
      await this.optOuts.optOut(e.projectId, e.distinctId, 'sdk', extra);
      return false;
    }
    if (signal === 'in') {
      await this.optOuts.optIn(e.projectId, e.distinctId);
      return true;
    }
    if (!this.optOuts.hasAny(e.projectId)) return true;
    const person = this.optOuts.personOf(e.projectId, e.distinctId);
    if (person === null) return true;
    // A new device seen with an opted-out user id joins the opt-out, so that its anonymous
    // events are dropped too (an event with another user id is that user's: README, "Privacy").
    if (e.anonymousId !== null && e.userId !== null && !this.optOuts.personOf(e.projectId, e.anonymousId))
      await this.optOuts.record(e.projectId, person, [e.anonymousId], 'sdk');
    return false;
  }

  private async countDrops(projectId: string, events: number): Promise<void> {
    this.options.onOptedOut?.(projectId, events);
    try {
      await this.wh.run({
        sql: `INSERT INTO opt_out_drops VALUES ($1, (now() AT TIME ZONE 'UTC')::DATE, $2)
              ON CONFLICT (project_id, day) DO UPDATE SET events = opt_out_drops.events + excluded.events`,
        params: [projectId, events],
      });
    } catch (err) {
      // A lost count must not fail ingestion: the metric has it.
      this.options.onError?.(err);
    }
  }

  /** Resolves once the last cookieless salt change is stored. */
  async close(): Promise<void> {
    await this.salts.flush();
  }
}
