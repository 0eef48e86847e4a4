import type { Command } from 'commander';
import { PathwiseError, SERVER_DEFAULTS } from '../../core/index.js';
import {
  findProject,
  type IpMode,
  type MaskBuiltin,
  type PrivacySettingsPatch,
  readPrivacySettings,
  updatePrivacySettings,
} from '../../store/index.js';
import { withStore } from '../store.js';

interface SetOptions {
  readonly db: string;
  readonly project: string;
  readonly ip?: string;
  readonly cookieless?: string;
  readonly maskBuiltins?: string;
  readonly maskKeys?: string;
  readonly maskPattern?: string[];
  readonly clearMaskPatterns?: boolean;
  readonly sensitiveEvents?: string;
  readonly sensitiveCategories?: string;
  readonly retentionDays?: string;
}

/** A comma-separated list; `none` (or nothing) is the empty list. */
function list(value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  return items.length === 1 && (items[0] === 'none' || items[0] === '') ? [] : items.filter((s) => s !== '');
}

function onOff(value: string, option: string): boolean {
  if (value === 'on' || value === 'off') return value === 'on';
  throw new PathwiseError('PW_CONFIG_INVALID', { reason: `${option} takes on or off` });
}

function retention(value: string): number | null {
  if (value === 'off') return null;
  const days = Number(value);
  if (!Number.isInteger(days))
    throw new PathwiseError('PW_CONFIG_INVALID', {
      reason: '--retention-days takes a whole number of days or off',
    });
  return days;
}

/** The options given, as a settings change (the store validates the result). */
function patchOf(opts: SetOptions): PrivacySettingsPatch {
  return {
    ...(opts.ip === undefined ? {} : { ipMode: opts.ip as IpMode }),
    ...(opts.cookieless === undefined ? {} : { isCookieless: onOff(opts.cookieless, '--cookieless') }),
    ...(opts.maskBuiltins === undefined ? {} : { maskBuiltins: list(opts.maskBuiltins) as MaskBuiltin[] }),
    ...(opts.maskKeys === undefined ? {} : { maskKeys: list(opts.maskKeys) }),
    ...(opts.clearMaskPatterns ? { maskPatterns: [] } : {}),
    ...(opts.maskPattern === undefined ? {} : { maskPatterns: opts.maskPattern }),
    ...(opts.sensitiveEvents === undefined ? {} : { sensitiveEvents: list(opts.sensitiveEvents) }),
    ...(opts.sensitiveCategories === undefined
      ? {}
      : { sensitiveCategories: list(opts.sensitiveCategories) }),
    ...(opts.retentionDays === undefined ? {} : { retentionDays: retention(opts.retentionDays) }),
  };
}

/** `pathwise project privacy|set` (README, "Privacy"), added to the `project` command. */
export function registerProjectPrivacyCommands(program: Command): void {
  const project = program.commands.find((c) => c.name() === 'project');
  if (!project) throw new Error('the project command must be registered first');
  project
    .command('privacy')
    .description("show a project's minimization and retention settings")
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .action(async (opts: { db: string; project: string }) => {
      await withStore(opts.db, true, async (wh) => {
        const p = await findProject(wh, opts.project);
        process.stdout.write(`${JSON.stringify(await readPrivacySettings(wh, p.projectId), null, 2)}\n`);
      });
    });
  project
    .command('set')
    .description(
      'change minimization and retention settings (applied to new events; the server must be stopped)',
    )
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .option('--ip <mode>', 'keep | truncate (IPv4 /24, IPv6 /48) | drop, after the country lookup')
    .option('--cookieless <on|off>', 'anonymous id = hash(daily salt, project, IP, user agent)')
    .option('--mask-builtins <list>', 'email,card,phone (or none)')
    .option('--mask-keys <list>', 'property/trait/context keys whose values are masked (or none)')
    .option('--mask-pattern <regex>', 'a JavaScript regex masked in every string value (repeatable)', collect)
    .option('--clear-mask-patterns', 'remove every mask pattern')
    .option('--sensitive-events <list>', 'event names (* wildcard) left out of reports (or none)')
    .option('--sensitive-categories <list>', 'properties.category values left out of reports (or none)')
    .option('--retention-days <n|off>', 'delete raw events older than n days')
    .action(async (opts: SetOptions) => {
      await withStore(opts.db, false, async (wh) => {
        const p = await findProject(wh, opts.project);
        const settings = await updatePrivacySettings(wh, p.projectId, patchOf(opts));
        process.stdout.write(`${JSON.stringify(settings, null, 2)}\n`);
      });
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
