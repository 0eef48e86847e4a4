/** The sidebar's pages, in order. */
export const NAV = [
  ['/dashboards', 'Dashboards'],
  ['/insights', 'Saved insights'],
  ['/events', 'Live events'],
  ['/trends', 'Trends'],
  ['/funnels', 'Funnels'],
  ['/retention', 'Retention'],
  ['/paths', 'Paths'],
  ['/sessions', 'Sessions'],
  ['/attribution', 'Attribution'],
  ['/people', 'People'],
  ['/audit', 'Audit log'],
] as const;
