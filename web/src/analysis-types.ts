/**
 * Requests and results of the analyses beyond insights: funnel diagnostics (`POST /api/diagnose`,
 * README "Funnel diagnostics") and attribution (`POST /api/query` with kind `attribution`, README
 * "Attribution"). Only the fields the dashboard shows are typed.
 */
import type { DateRange, FunnelSpec } from './types';

export interface DiagnoseSpec {
  funnel: FunnelSpec;
  dimensions?: { property: string }[];
  minSegmentSize?: number;
  compareAt?: string;
}

export interface SegmentCondition {
  dimension: string;
  value: string | null;
}

export interface DiagnosisSince {
  date: string;
  method: 'appeared' | 'change_point';
  rate: number;
  restRate: number | null;
  entrants: number;
  peopleLost: number;
}

export interface DiagnosisFinding {
  step: number;
  fromEvent: string;
  toEvent: string;
  segment: SegmentCondition[];
  label: string;
  entrants: number;
  converted: number;
  rate: number;
  restEntrants: number;
  restRate: number;
  rateRatio: number | null;
  peopleLost: number;
  pValue: number;
  adjustedPValue: number;
  explains: string[];
  since: DiagnosisSince | null;
}

export interface DiagnosisDrop {
  step: number;
  fromEvent: string;
  toEvent: string;
  lost: number;
  rate: number | null;
}

export interface DiagnosisResult {
  kind: 'diagnosis';
  dateRange: { from: string; to: string; timeZone: string };
  settings: { dimensions: string[]; fdr: number; minSegmentSize: number; horizonSec: number };
  funnel: { index: number; event: string; count: number; conversionFromPrevious: number | null }[];
  biggestDrop: { byPeople: DiagnosisDrop; byRate: DiagnosisDrop } | null;
  tested: { segments: number; periods: number; correlations: number };
  segments: DiagnosisFinding[];
  summary: { lines: string[]; hypothesis: string | null };
}

export type TouchAttribute =
  | 'channel'
  | 'utm_source'
  | 'utm_medium'
  | 'utm_campaign'
  | 'source_medium'
  | 'referrer_domain';

export interface AttributionSpec {
  kind: 'attribution';
  dateRange?: DateRange;
  conversion: { event: string };
  touchpoints?: { kind: 'session'; attribute: TouchAttribute }[];
  lookbackDays?: number;
  markovOrders?: number[];
}

export interface AttributionModel {
  id: string;
  name: string;
  kind: 'heuristic' | 'markov' | 'shapley';
}

export interface AttributionResult {
  kind: 'attribution';
  dateRange: { from: string; to: string };
  summary: {
    journeys: number;
    convertingJourneys: number;
    conversions: number;
    attributedConversions: number;
    unattributedConversions: number;
  };
  channels: string[];
  models: AttributionModel[];
  comparison: { channel: string; conversions: Record<string, number> }[];
  /** The most frequent journeys (paths of touch labels), heaviest first. */
  topJourneys: {
    path: string[];
    journeys: number;
    conversions: number;
    conversionRate: number;
    value: number;
  }[];
  /** Links between touch positions, and from a journey's last shown touch to its end. */
  sankey: { step: number; from: string; to: string; journeys: number; conversions: number }[];
  recommendation: { summary: string };
}
