export { AttributionSpec, parseAttributionSpec, Spend } from './spec.js';
