// The bundled dashboards (`src/dashboards/*.json`, the app's `includes`) as the lowest supported Grafana (11.6.0)
// loads them, and as Grafana's plugin dashboard updater imports them (no inputs). Sources: RULES in ./grafana.ts.
import { asArray, finding, isObject, text, type Finding, type Json } from './grafana';

/** DashboardMigrator's DASHBOARD_SCHEMA_VERSION at 11.6.0 (`@grafana/schema@11.6.0` defaultDashboard.schemaVersion). */
export const FLOOR_SCHEMA_VERSION = 41;

/**
 * Core panels of 11.6.0: the panel schemas `@grafana/schema@11.6.0` ships under dist/esm/raw/composable (its
 * datasource schemas and the unreleased logsnew/xychart2 left out), plus the built-in row.
 */
export const FLOOR_PANEL_TYPES = [
  'annotationslist',
  'barchart',
  'bargauge',
  'candlestick',
  'canvas',
  'dashboardlist',
  'datagrid',
  'debug',
  'gauge',
  'geomap',
  'heatmap',
  'histogram',
  'logs',
  'news',
  'nodegraph',
  'piechart',
  'stat',
  'statetimeline',
  'statushistory',
  'table',
  'text',
  'timeseries',
  'trend',
  'xychart',
  'row',
];

/** The built-in annotation query every dashboard carries. */
const GRAFANA_BUILT_IN = { type: 'grafana', uid: '-- Grafana --' };

export function checkDashboard(file: string, dashboard: Json): Finding[] {
  const out: Finding[] = [];
  const version = dashboard.schemaVersion;
  if (typeof version !== 'number' || version > FLOOR_SCHEMA_VERSION) {
    out.push(
      finding(
        'board.schemaVersion',
        file,
        `schemaVersion ${text(version)} is newer than 11.6.0's ${FLOOR_SCHEMA_VERSION}`
      )
    );
  }
  if (dashboard.__inputs !== undefined) {
    out.push(finding('board.inputs', file, 'declares __inputs: the app importer passes no inputs'));
  }
  const dsVariables = new Map<string, string>();
  for (const v of asArray(isObject(dashboard.templating) ? dashboard.templating.list : undefined)) {
    if (isObject(v) && v.type === 'datasource') {
      dsVariables.set(text(v.name), text(v.query));
    }
  }
  const checkRef = (where: string, ref: unknown) => {
    if (ref === undefined || ref === null) {
      return; // inherits the panel's (or the variable has none)
    }
    if (!isObject(ref)) {
      out.push(finding('board.datasourceRef', where, `datasource ${JSON.stringify(ref)} is a name, not {type, uid}`));
      return;
    }
    const type = text(ref.type);
    const uid = text(ref.uid);
    if (type === GRAFANA_BUILT_IN.type && uid === GRAFANA_BUILT_IN.uid) {
      return;
    }
    const variable = /^\$\{([^}:]+)\}$/.exec(uid)?.[1];
    if (uid.includes('${DS_')) {
      out.push(finding('board.inputs', where, `${uid} is an import input the app importer never fills`));
    } else if (type === '' || variable === undefined) {
      out.push(
        finding(
          'board.datasourceRef',
          where,
          `datasource {type: "${type}", uid: "${uid}"} is not a datasource variable`
        )
      );
    } else if (dsVariables.get(variable) !== type) {
      out.push(finding('board.datasourceRef', where, `\${${variable}} is not a datasource variable of type ${type}`));
    }
  };
  asArray(isObject(dashboard.annotations) ? dashboard.annotations.list : undefined).forEach((a, i) => {
    checkRef(`${file}: annotations[${i}]`, isObject(a) ? a.datasource : undefined);
  });
  for (const v of asArray(isObject(dashboard.templating) ? dashboard.templating.list : undefined)) {
    if (isObject(v) && v.type !== 'datasource') {
      checkRef(`${file}: $${text(v.name)}`, v.datasource);
    }
  }
  const panels = asArray(dashboard.panels).flatMap((p) =>
    isObject(p) ? [p, ...asArray(p.panels).filter(isObject)] : []
  );
  for (const panel of panels) {
    const where = `${file}: panel ${text(panel.id)} "${text(panel.title)}"`;
    if (!FLOOR_PANEL_TYPES.includes(text(panel.type))) {
      out.push(finding('board.panelType', where, `panel type ${text(panel.type)} is not a core panel of 11.6.0`));
    }
    checkRef(where, panel.datasource);
    asArray(panel.targets).forEach((t) =>
      checkRef(`${where} / ${text(isObject(t) ? t.refId : '')}`, isObject(t) ? t.datasource : undefined)
    );
  }
  return out;
}

/** dashboard uid → the ids of its panels (rows and the panels inside them). */
export function panelIdsByDashboard(dashboards: Json[]): Map<string, Set<number>> {
  return new Map(
    dashboards.map((d) => [
      text(d.uid),
      new Set(
        asArray(d.panels)
          .flatMap((p) => (isObject(p) ? [p, ...asArray(p.panels).filter(isObject)] : []))
          .map((p) => p.id)
          .filter((id): id is number => typeof id === 'number')
      ),
    ])
  );
}
