import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { PathwiseError } from '../core/index.js';
import type { Warehouse } from './warehouse.js';

/** What happens to the client address after the country lookup (README, "Privacy"). */
export const IpMode = Type.Union([Type.Literal('keep'), Type.Literal('truncate'), Type.Literal('drop')]);
export type IpMode = Static<typeof IpMode>;

/** Built-in value patterns that masking can replace. */
export const MaskBuiltin = Type.Union([Type.Literal('email'), Type.Literal('card'), Type.Literal('phone')]);
export type MaskBuiltin = Static<typeof MaskBuiltin>;

const Name = Type.String({ minLength: 1, maxLength: 256 });

/**
 * A project's data-minimization and retention settings, stored as JSON in
 * `projects.privacy_settings` (NULL: the defaults). PRIVACY.md describes each field.
 */
export const PrivacySettings = Type.Object(
  {
    ipMode: IpMode,
    isCookieless: Type.Boolean(),
    maskBuiltins: Type.Array(MaskBuiltin, { maxItems: 3, uniqueItems: true }),
    /** Property, trait and context keys (any depth, case-insensitive) whose values are masked. */
    maskKeys: Type.Array(Name, { maxItems: 200 }),
    /** JavaScript regular expressions; every match in a string value is masked. */
    maskPatterns: Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { maxItems: 50 }),
    /** Event names (`*` matches any run of characters) left out of every report. */
    sensitiveEvents: Type.Array(Name, { maxItems: 200 }),
    /** Values of `properties.category` whose events are left out of every report. */
    sensitiveCategories: Type.Array(Name, { maxItems: 200 }),
    /** Raw events (and rejected events) older than this many days are deleted; null keeps them. */
    retentionDays: Type.Union([Type.Integer({ minimum: 1, maximum: 36_500 }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type PrivacySettings = Static<typeof PrivacySettings>;

/** A change to some of the settings (`PATCH /api/privacy/settings`, `pathwise project set`). */
export const PrivacySettingsPatch = Type.Partial(PrivacySettings);
export type PrivacySettingsPatch = Static<typeof PrivacySettingsPatch>;

/** The defaults keep ingestion as it was before privacy settings existed. */
export const DEFAULT_PRIVACY_SETTINGS: PrivacySettings = {
  ipMode: 'keep',
  isCookieless: false,
  maskBuiltins: [],
  maskKeys: [],
  maskPatterns: [],
  sensitiveEvents: [],
  sensitiveCategories: [],
  retentionDays: null,
};

const checker = Compile(PrivacySettings);

/** Reads the stored JSON; keys missing from an older row take their defaults. */
export function parsePrivacySettings(json: unknown): PrivacySettings {
  if (json === null || json === undefined) return DEFAULT_PRIVACY_SETTINGS;
  const parsed = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
  const merged = { ...DEFAULT_PRIVACY_SETTINGS, ...(parsed as object) };
  return checker.Check(merged) ? merged : DEFAULT_PRIVACY_SETTINGS;
}

function invalid(reason: string): never {
  throw new PathwiseError('PW_CONFIG_INVALID', { reason });
}

/** Validates merged settings; masking patterns must compile as JavaScript regular expressions. */
export function checkPrivacySettings(value: unknown): PrivacySettings {
  if (!checker.Check(value)) {
    const first = [...checker.Errors(value)][0];
    invalid(`privacy settings ${first?.instancePath || '/'} ${first?.message ?? 'are invalid'}`);
  }
  const settings = value as PrivacySettings;
  for (const pattern of settings.maskPatterns) {
    try {
      new RegExp(pattern, 'gu');
    } catch (err) {
      invalid(`mask pattern /${pattern}/ does not compile: ${(err as Error).message}`);
    }
  }
  return settings;
}

/**
 * The reports' exclusion rule (README, "Privacy"): a full-match RE2 pattern over event names
 * built from the globs, or null when no event name is sensitive.
 */
export function sensitiveEventPattern(settings: PrivacySettings): string | null {
  if (settings.sensitiveEvents.length === 0) return null;
  const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return settings.sensitiveEvents.map((glob) => glob.split('*').map(escapeRe).join('.*')).join('|');
}

/** Reads one project's settings (defaults when unset). */
export async function readPrivacySettings(wh: Warehouse, projectId: string): Promise<PrivacySettings> {
  const rows = await wh.all({
    sql: 'SELECT privacy_settings FROM projects WHERE project_id = $1',
    params: [projectId],
  });
  if (!rows[0]) throw new PathwiseError('PW_PROJECT_NOT_FOUND', { project: projectId });
  return parsePrivacySettings(rows[0].privacy_settings);
}

/** Applies a change to a project's settings and returns the result. */
export async function updatePrivacySettings(
  wh: Warehouse,
  projectId: string,
  patch: PrivacySettingsPatch,
): Promise<PrivacySettings> {
  const next = checkPrivacySettings({ ...(await readPrivacySettings(wh, projectId)), ...patch });
  await wh.run({
    sql: 'UPDATE projects SET privacy_settings = $2::JSON WHERE project_id = $1',
    params: [projectId, JSON.stringify(next)],
  });
  return next;
}
