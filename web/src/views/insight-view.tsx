import type { AnyResult } from '../types';
import { FunnelView } from './funnel-view';
import { PathsView } from './paths-view';
import { RetentionView } from './retention-view';
import { SessionsView } from './sessions-view';
import { TrendsView } from './trends-view';

/** Any result, drawn by its kind (dashboard tiles use the compact form). */
export function InsightView({ result, isCompact }: { result: AnyResult; isCompact?: boolean }) {
  switch (result.kind) {
    case 'funnel':
      return <FunnelView result={result} isCompact={isCompact ?? false} />;
    case 'trends':
      return <TrendsView result={result} isCompact={isCompact ?? false} />;
    case 'retention':
      return <RetentionView result={result} isCompact={isCompact ?? false} />;
    case 'paths':
      return <PathsView result={result} isCompact={isCompact ?? false} />;
    case 'sessions':
      return <SessionsView result={result} isCompact={isCompact ?? false} />;
    default:
      // Saved specs of other kinds (attribution, ctr) run, but the dashboard does not draw them yet.
      return (
        <p className="state state-empty">
          Results of kind “{(result as { kind: string }).kind}” are not drawn here yet; the API returns them.
        </p>
      );
  }
}
