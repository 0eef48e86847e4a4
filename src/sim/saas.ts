import { BUSINESS, DAY_MS, HOUR_MS } from './calendar.js';
import type { Platform } from './catalog-data.js';
import { type Channel, type JourneyRole, sampleChannel, sampleTouch } from './channels.js';
import { hexId } from './format.js';
import {
  dwellMs,
  type HouseholdInput,
  innerPage,
  landingPage,
  newUserId,
  planSessionStarts,
  type ScenarioContext,
} from './journey.js';
import type { HouseholdWriter, Session } from './message.js';
import { createDevice, type Device } from './population.js';
import { type Rng, Weighted } from './rng.js';
import {
  type Books,
  type BooksState,
  booksState,
  CountBook,
  mergeBooks,
  RateBook,
  type RateTable,
} from './truth.js';

const ORIGIN = 'https://www.example.io';
const NO_APP = { name: 'Example', namespace: 'io.example' };

/** The SaaS funnel, in order. */
export const SAAS_STEPS = [
  'signup',
  'onboarding_completed',
  'created_first_project',
  'invited_team_member',
  'upgrade',
];

/**
 * Planted parameters of the `saas` scenario. Visitors sign up with a probability that grows
 * with their number of visits; after signup each step follows the previous with
 * rates[company_size][k]; upgrade (days 7–13) requires not having churned, so its rate is
 * rates[size][3] × (1 − P(churn)). Churn is logistic in the first week's behaviour.
 */
export const SAAS = {
  platformShares: { desktop_web: 0.85, mobile_web: 0.15 } as Record<Platform, number>,
  companySizes: { '1-10': 0.45, '11-50': 0.3, '51-200': 0.17, '201+': 0.08 } as Record<string, number>,
  signupRate: { base: 0.06, perExtraVisit: 0.05, max: 0.35 },
  rates: {
    '1-10': [0.7, 0.65, 0.25, 0.3],
    '11-50': [0.72, 0.7, 0.45, 0.38],
    '51-200': [0.75, 0.72, 0.55, 0.45],
    '201+': [0.78, 0.74, 0.6, 0.5],
  } as Record<string, readonly number[]>,
  /** Steps are complete for signups at least this long before the end. */
  funnelWindowDays: 14,
  churn: {
    features:
      'from the first 7 days after signup: invited_team_member, created_first_project, active days (1–7)',
    label:
      'churned = no event in days [14, 28) after signup; defined for signups at least 28 days before end',
    intercept: 1.2,
    invitedTeamMember: -1.0,
    createdFirstProject: -0.8,
    perActiveDayAboveOne: -0.35,
  },
} as const;

const platformPicker = new Weighted(Object.entries(SAAS.platformShares) as [Platform, number][]);
const sizePicker = new Weighted(Object.entries(SAAS.companySizes));

/** The saas part of the truth manifest. */
export interface SaasTruth {
  readonly persons: number;
  readonly parameters: typeof SAAS;
  readonly steps: readonly string[];
  readonly expected: { readonly signup: RateTable; readonly funnel: RateTable; readonly churn: RateTable };
  readonly attribution: { firstTouch: Record<string, number>; lastTouch: Record<string, number> };
}

interface Trial {
  readonly userId: string;
  readonly size: string;
  readonly device: Device;
  readonly signupMs: number;
  readonly segments: Record<string, string>;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The `saas` scenario: marketing visits, signup, onboarding, activation, trial, upgrade, churn. */
export class SaasScenario {
  private readonly signup = new RateBook();
  private readonly funnel = new RateBook();
  private readonly churn = new RateBook();
  private readonly firstTouch = new CountBook();
  private readonly lastTouch = new CountBook();
  private persons = 0;
  private readonly books: Books = {
    rates: [this.signup, this.funnel, this.churn],
    counts: [this.firstTouch, this.lastTouch],
    means: [],
  };

  constructor(private readonly ctx: ScenarioContext) {}

  /** The accumulated truth as plain data. */
  truthState(): BooksState {
    return booksState(this.persons, this.books);
  }

  /** Adds the truth accumulated by another thread. */
  mergeTruth(state: BooksState): void {
    this.persons += state.persons;
    mergeBooks(this.books, state);
  }

  /** SaaS accounts are not shared. */
  isSharedHousehold(): boolean {
    return false;
  }

  /** Generates one visitor and, if they sign up, their trial. */
  household({ rng, writer, personNumbers }: HouseholdInput): void {
    this.persons++;
    const device = createDevice(rng, platformPicker.sample(rng), NO_APP, this.ctx.releaseMs);
    const offset = device.country.utcOffsetHours;
    const visits = planSessionStarts(rng, this.ctx.calendar, BUSINESS, offset, 1 + rng.geometric(0.45), 3);
    const { base, perExtraVisit, max } = SAAS.signupRate;
    const pSignup = Math.min(max, base + perExtraVisit * (visits.length - 1));
    this.signup.add({ all: 'all', visits: String(Math.min(visits.length, 4)) }, 'signup', pSignup);
    const signs = rng.chance(pSignup);
    const channels = visits.map((_, i): Channel => {
      const role: JourneyRole = i === 0 ? 'first' : signs && i === visits.length - 1 ? 'closing' : 'middle';
      return sampleChannel(rng, role);
    });
    let t = 0;
    let last: Session | undefined;
    visits.forEach((start, i) => {
      [t, last] = this.marketingVisit(rng, writer, device, start, channels[i] ?? 'direct');
    });
    if (!signs) return;
    this.firstTouch.add(channels[0] ?? 'direct');
    this.lastTouch.add(channels[channels.length - 1] ?? 'direct');
    const size = sizePicker.sample(rng);
    const userId = newUserId(rng, personNumbers[0] ?? 0);
    const signupMs = t + dwellMs(rng, 30_000);
    const segments = { all: 'all', company_size: size, platform: device.platform };
    this.trial(rng, writer, { userId, size, device, signupMs, segments }, last);
  }

  /** The planted truth. */
  truth(): SaasTruth {
    return {
      persons: this.persons,
      parameters: SAAS,
      steps: SAAS_STEPS,
      expected: { signup: this.signup.table(), funnel: this.funnel.table(), churn: this.churn.table() },
      attribution: { firstTouch: this.firstTouch.toJSON(), lastTouch: this.lastTouch.toJSON() },
    };
  }

  private marketingVisit(
    rng: Rng,
    w: HouseholdWriter,
    device: Device,
    start: number,
    channel: Channel,
  ): [number, Session] {
    const s = w.session(device, ORIGIN, null);
    const touch = sampleTouch(rng, channel, 'saas');
    const landing =
      touch.channel === 'organic_search' || touch.channel === 'referral' ? '/blog/activation-metrics' : '/';
    landingPage(
      w,
      s,
      start,
      touch,
      landing,
      landing === '/' ? 'Example — ship projects together' : 'Activation metrics',
    );
    let t = start;
    const pages = 1 + rng.poisson(1.5);
    for (let i = 0; i < pages; i++) {
      t += dwellMs(rng, 40_000);
      const path = rng.pick(['/pricing', '/features', '/customers', '/docs/getting-started']);
      innerPage(w, s, t, path, path.slice(1));
      if (path === '/customers' && rng.chance(0.2)) {
        t += dwellMs(rng, 20_000);
        w.track(s, t, 'whitepaper_download', { title: 'State of project delivery' });
      }
    }
    return [t, s];
  }

  /** Signup continues the last marketing visit (`visit`): the same session, a fresh page state. */
  private trial(rng: Rng, w: HouseholdWriter, trial: Trial, visit?: Session): void {
    const { userId, size, device, signupMs, segments } = trial;
    const { endMs } = this.ctx.calendar;
    const isComplete = signupMs <= endMs - SAAS.funnelWindowDays * DAY_MS;
    const s = w.session(device, ORIGIN, null, 0, visit);
    let t = signupMs;
    innerPage(w, s, t, '/signup', 'Sign up');
    t += dwellMs(rng, 30_000);
    w.track(s, t, 'signup', { plan: 'trial', method: rng.chance(0.55) ? 'google' : 'email' });
    const accountId = `acc_${hexId(rng, 10)}`;
    w.identify(s, t + 200, userId, {
      email: `${userId}@example.io`,
      company_size: size,
      created_at: new Date(t).toISOString(),
    });
    w.group(s, t + 400, accountId, {
      name: `Company ${accountId.slice(4, 8)}`,
      plan: 'trial',
      employees: size,
    });
    w.track(s, t + 600, 'trial_started', { trial_days: 14 });
    const rates = SAAS.rates[size] ?? [];
    const reached: boolean[] = [];
    for (let k = 0; k < 3; k++) {
      if (k > 0 && !reached[k - 1]) break;
      const p = rates[k] ?? 0;
      if (isComplete) this.funnel.add(segments, SAAS_STEPS[k + 1] ?? '', p);
      reached.push(rng.chance(p));
    }
    t = this.onboarding(rng, w, s, t + 1000, reached[0] === true);
    this.lifecycle(rng, w, trial, { start: t, visit: s }, reached, isComplete);
  }

  private onboarding(rng: Rng, w: HouseholdWriter, s: Session, start: number, completes: boolean): number {
    let t = start;
    const steps = completes ? 3 : rng.int(3);
    for (let step = 1; step <= steps; step++) {
      t += dwellMs(rng, 45_000);
      w.track(s, t, 'onboarding_step_completed', { step });
    }
    if (completes) {
      t += 1500;
      w.track(s, t, 'onboarding_completed', {});
    }
    return t;
  }

  /** Project, invite, first-week activity, churn and upgrade, then later usage until the end. */
  private lifecycle(
    rng: Rng,
    w: HouseholdWriter,
    trial: Trial,
    signupVisit: { start: number; visit: Session },
    reached: boolean[],
    isComplete: boolean,
  ) {
    const { signupMs, device, userId, segments } = trial;
    const { start } = signupVisit;
    const endMs = this.ctx.calendar.endMs - 2 * HOUR_MS;
    const app = (t: number, events: [string, Record<string, unknown>][]) => {
      if (t >= endMs) return;
      // Day 0's app use follows onboarding within minutes: the signup visit goes on.
      const sameVisit = t - start < HOUR_MS ? signupVisit.visit : undefined;
      const s = w.session(device, ORIGIN, userId, 0, sameVisit);
      innerPage(w, s, t, '/app/projects', 'Projects');
      let at = t;
      for (const [event, props] of events) {
        at += dwellMs(rng, 60_000);
        w.track(s, at, event, props);
      }
    };
    const hasProject = reached[1] === true;
    const hasInvited = reached[2] === true;
    const projectDay = rng.chance(0.5) ? 0 : 1 + rng.int(3);
    const inviteDay = Math.max(projectDay, rng.int(7));
    const activeDays = new Set([0]);
    if (hasProject) activeDays.add(projectDay);
    if (hasInvited) activeDays.add(inviteDay);
    for (let day = 1; day < 7; day++) if (rng.chance(hasProject ? 0.45 : 0.2)) activeDays.add(day);
    for (const day of [...activeDays].sort((a, b) => a - b)) {
      const events: [string, Record<string, unknown>][] = [['project_viewed', {}]];
      if (hasProject && day === projectDay) events.unshift(['created_first_project', { template: 'kanban' }]);
      if (hasInvited && day === inviteDay) events.push(['invited_team_member', { role: 'member' }]);
      const t = day === 0 ? start + dwellMs(rng, 60_000) : signupMs + day * DAY_MS + rng.int(8 * HOUR_MS);
      app(t, events);
    }
    const c = SAAS.churn;
    const x =
      c.intercept + c.invitedTeamMember * Number(hasInvited) + c.createdFirstProject * Number(hasProject);
    const pChurn = sigmoid(x + c.perActiveDayAboveOne * (activeDays.size - 1));
    if (signupMs <= this.ctx.calendar.endMs - 28 * DAY_MS) {
      const churnSegments = { all: 'all', invited: String(hasInvited), active_days: String(activeDays.size) };
      this.churn.add(churnSegments, 'churned', pChurn);
    }
    const pUpgrade = (SAAS.rates[trial.size]?.[3] ?? 0) * (1 - pChurn);
    if (hasInvited && isComplete) this.funnel.add(segments, 'upgrade', pUpgrade);
    if (rng.chance(pChurn)) {
      if (rng.chance(0.5)) app(signupMs + (7 + rng.int(6)) * DAY_MS, [['project_viewed', {}]]);
      return;
    }
    if (hasInvited ? rng.chance(SAAS.rates[trial.size]?.[3] ?? 0) : rng.chance(0.05)) {
      const plan = rng.chance(0.7) ? 'team' : 'business';
      app(signupMs + (7 + rng.int(6)) * DAY_MS, [
        ['upgrade', { plan, mrr: plan === 'team' ? 49 : 199, billing: 'monthly' }],
      ]);
    }
    let t = signupMs + (14 + rng.int(13)) * DAY_MS;
    while (t < endMs) {
      app(t, [
        ['project_viewed', {}],
        ['task_created', { count: 1 + rng.int(5) }],
      ]);
      t += Math.round((1 + rng.exponential(2.5)) * DAY_MS);
    }
  }
}
