// What Grafana does with our artefacts, as data: every rule the checks in this folder apply, with the Grafana source
// it was read from. Facts are carried over from Grafana's code, never the code.
//
// How the sources were read: grafana/grafana is too large to check out here, so its files were read as stored
// versions (the commit each was stored at is named) and placed in time by their content. A rule is encoded when the
// oldest and the newest stored versions read agree on it; where only a newer version shows a value (e.g. threshold
// `eq`), it is not accepted, so the check holds at the floor (11.6.0). Facts about 11.6.0 itself come from the npm
// packages Grafana published at 11.6.0.

/**
 * fatal: Grafana's provisioning returns the error and the server stops (provisioning runs at startup).
 * broken: Grafana accepts the file but the thing does not work (every evaluation errors, a setting is ignored...).
 * logged: Grafana logs it and carries on; reported, never failing a check of our files by itself.
 */
export type Severity = 'fatal' | 'broken' | 'logged';

export interface GrafanaRule {
  severity: Severity;
  /** The Grafana file (and version read) the rule comes from. */
  source: string;
  /** What Grafana does, in a sentence. */
  says: string;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** File and path inside it, e.g. `provisioning/alerting/kici.yaml: groups[0].rules[2]`. */
  where: string;
  message: string;
}

const G = 'grafana/grafana';
export const SOURCES = {
  rulesTypes: `${G} pkg/services/provisioning/alerting/rules_types.go (stored 12.x version at 0085cf86; same checks in the older stored versions)`,
  alertRule: `${G} pkg/services/ngalert/models/alert_rule.go (stored 12.x version; SetDashboardAndPanelFromAnnotations also in the older stored version)`,
  alertQuery: `${G} pkg/services/ngalert/models/alert_query.go (AlertQuery.PreSave, RelativeTimeRange; stored old and 12.x versions agree)`,
  ruleService: `${G} pkg/services/ngalert/provisioning/alert_rules.go (CreateAlertRule, UpdateRuleGroup; stored 12.x version)`,
  ruleStore: `${G} pkg/services/ngalert/store/alert_rule.go (validateAlertRule, AlertRuleMaxTitleLength = AlertRuleMaxRuleGroupNameLength = 190)`,
  baseInterval: `${G} pkg/setting/setting_unified_alerting.go (SchedulerBaseInterval = 10s) with models.ValidateRuleGroupInterval`,
  uid: `${G} pkg/util/shortid_generator.go (ValidateUID: at most 40 of [a-zA-Z0-9-_])`,
  promDuration: 'prometheus/common model.ParseDuration (what rules_types.go parses `for` and `interval` with)',
  values: `${G} pkg/services/provisioning/values/values.go (interpolateValue: os.ExpandEnv, $$ escapes)`,
  exprCommands: `${G} pkg/expr/commands.go (ParseCommandType, UnmarshalMathCommand, UnmarshalReduceCommand; old and newer stored versions)`,
  exprReducers: `${G} pkg/expr/mathexp/reduce.go (GetReduceFunc: sum mean min max count last, in every stored version)`,
  exprThreshold: `${G} pkg/expr/threshold.go (UnmarshalThresholdCommand; eq/ne/gte/lte/*_included only in the newer stored version)`,
  exprClassic: `${G} pkg/expr/classic/classic.go (UnmarshalConditionsCmd)`,
  rulesProvisioner: `${G} pkg/services/provisioning/alerting/rules_provisioner.go (provisionRule: create or update by uid, then UpdateRuleGroup)`,
  dsReader: `${G} pkg/services/provisioning/datasources/config_reader.go (readConfig, validateDefaultUniqueness, validateAccessAndOrgID)`,
  dsProvisioner: `${G} pkg/services/provisioning/datasources/datasources.go (datasources keyed by org and name)`,
  dashReader: `${G} pkg/services/provisioning/dashboards/config_reader.go (stored 12.x version) and dashboard.go getFileReaders`,
  dashFileReader: `${G} pkg/services/provisioning/dashboards/file_reader.go (NewDashboardFileReader, getOrCreateFolder; stored 12.x version, same checks in an older one)`,
  pluginsReader: `${G} pkg/services/provisioning/plugins/config_reader.go (validateRequiredField, validatePluginsConfig, checkOrgIDAndOrgName)`,
  dashUpdater: `${G} pkg/services/plugindashboards/service/dashboard_updater.go (imports app includes with Inputs: nil) and pkg/services/dashboardimport/utils/dash_template_evaluator.go`,
  schemaFloor:
    '@grafana/schema@11.6.0 (npm): defaultDashboard.schemaVersion = 41, which DashboardMigrator.ts keeps equal to DASHBOARD_SCHEMA_VERSION',
  panelsFloor:
    '@grafana/schema@11.6.0 (npm): dist/esm/raw/composable/<panel> — the core panels with a schema at 11.6.0',
  plugin: 'this repository: src/datasource/query.ts (the plugin reads exactly these settings) and plugin.json',
} as const;

export const RULES = {
  // Alerting: rules_types.go AlertRuleGroupV1.MapToModel / AlertRuleV1.mapToModel
  'alert.group.name': { severity: 'fatal', source: SOURCES.rulesTypes, says: 'a rule group needs a non-blank name' },
  'alert.group.folder': {
    severity: 'fatal',
    source: SOURCES.rulesTypes,
    says: 'a rule group needs a non-blank folder',
  },
  'alert.group.interval': {
    severity: 'fatal',
    source: `${SOURCES.rulesTypes}; ${SOURCES.promDuration}`,
    says: 'the group interval must parse as a Prometheus duration (an empty one does not)',
  },
  'alert.group.intervalMultiple': {
    severity: 'fatal',
    source: `${SOURCES.baseInterval}; ${SOURCES.ruleService}`,
    says: 'the group interval must be positive and a multiple of the 10 s scheduler base interval',
  },
  'alert.group.org': {
    severity: 'fatal',
    source: `${SOURCES.rulesTypes} (orgId below 1 becomes 1); ${SOURCES.rulesProvisioner} (the folder is created in that org)`,
    says: 'orgId 0 becomes 1; any other org must exist (a fresh Grafana has only 1)',
  },
  'alert.group.nameLength': {
    severity: 'fatal',
    source: SOURCES.ruleStore,
    says: 'a group name is at most 190 characters',
  },
  'alert.rule.title': {
    severity: 'fatal',
    source: `${SOURCES.rulesTypes}; ${SOURCES.ruleStore}`,
    says: 'a rule needs a title of at most 190 characters',
  },
  'alert.rule.uid': {
    severity: 'fatal',
    source: `${SOURCES.rulesTypes}; ${SOURCES.uid}`,
    says: 'a provisioned rule needs a uid of at most 40 letters, digits, - or _',
  },
  'alert.rule.uidUnique': {
    severity: 'broken',
    source: SOURCES.rulesProvisioner,
    says: 'rules are created or updated by uid: a second rule with the same uid overwrites the first',
  },
  'alert.rule.for': {
    severity: 'fatal',
    source: `${SOURCES.rulesTypes}; ${SOURCES.promDuration}`,
    says: '`for` must parse as a Prometheus duration',
  },
  'alert.rule.noDataState': {
    severity: 'fatal',
    source: `${SOURCES.rulesTypes}; ${SOURCES.alertRule}`,
    says: 'noDataState is one of Alerting, NoData, OK (KeepLast exists in the newer version read)',
  },
  'alert.rule.execErrState': {
    severity: 'fatal',
    source: `${SOURCES.rulesTypes}; ${SOURCES.alertRule}`,
    says: 'execErrState is one of Alerting, Error, OK (KeepLast exists in the newer version read)',
  },
  'alert.rule.stateNotAtFloor': {
    severity: 'logged',
    source: SOURCES.alertRule,
    says: 'KeepLast is read only in the newer stored version: not shown to exist at 11.6.0',
  },
  'alert.rule.dashboardPanelPair': {
    severity: 'fatal',
    source: `${SOURCES.alertRule} SetDashboardAndPanelFromAnnotations, called by ${SOURCES.ruleService}`,
    says: 'annotations __dashboardUid__ and __panelId__ come both or neither, and __panelId__ is an integer',
  },
  'alert.rule.panelExists': {
    severity: 'broken',
    source: `${SOURCES.alertRule}; ${SOURCES.plugin}`,
    says: 'the linked dashboard and panel must exist, or the alert links nowhere (Grafana does not check)',
  },
  'alert.rule.data': {
    severity: 'fatal',
    source: SOURCES.rulesTypes,
    says: 'a rule needs at least one query or expression',
  },
  'alert.rule.condition': { severity: 'fatal', source: SOURCES.rulesTypes, says: 'an alerting rule needs a condition' },
  'alert.rule.conditionRef': {
    severity: 'broken',
    source: SOURCES.exprCommands,
    says: 'the condition must name a refId of the rule, or every evaluation errors',
  },
  'alert.rule.reservedLabel': {
    severity: 'fatal',
    source: SOURCES.alertRule,
    says: 'labels __grafana_autogenerated__, __grafana_receiver__, __grafana_route_settings_hash__ are reserved',
  },
  'alert.rule.isPaused': { severity: 'fatal', source: SOURCES.values, says: 'isPaused must parse as a boolean' },
  'alert.rule.interpolated': {
    severity: 'broken',
    source: `${SOURCES.rulesTypes}; ${SOURCES.values}`,
    says: 'title and labels go through environment interpolation: a $NAME in them is replaced (usually by nothing)',
  },
  'alert.rule.annotationBraces': {
    severity: 'broken',
    source: SOURCES.rulesTypes,
    says: 'annotations are taken raw in older versions and with ${VAR} interpolated in newer ones: ${ means two things',
  },
  'alert.query.refId': {
    severity: 'broken',
    source: SOURCES.exprCommands,
    says: 'every query needs a refId, unique in its rule',
  },
  'alert.query.relativeTimeRange': {
    severity: 'fatal',
    source: SOURCES.alertQuery,
    says: 'relativeTimeRange from/to are whole seconds; for a datasource query from must be greater than to',
  },
  'alert.query.datasource': {
    severity: 'broken',
    source: `${SOURCES.rulesTypes}; ${SOURCES.plugin}`,
    says: 'a query reads a datasource uid this repository provisions, or it fails at every evaluation',
  },
  'alert.expr.type': {
    severity: 'broken',
    source: SOURCES.exprCommands,
    says: 'an __expr__ model has type math, reduce, resample, classic_conditions or threshold',
  },
  'alert.expr.reduce': {
    severity: 'broken',
    source: `${SOURCES.exprCommands}; ${SOURCES.exprReducers}`,
    says: 'reduce needs expression (a refId), a reducer of sum/mean/min/max/count/last, settings.mode dropNN/replaceNN (with a numeric replaceWithValue)',
  },
  'alert.expr.threshold': {
    severity: 'broken',
    source: SOURCES.exprThreshold,
    says: 'threshold needs expression (a refId) and exactly one condition: gt/lt with one param, within_range/outside_range with two',
  },
  'alert.expr.math': {
    severity: 'broken',
    source: SOURCES.exprCommands,
    says: 'math needs a string expression whose $refs name refIds of the rule',
  },
  'alert.expr.classic': {
    severity: 'broken',
    source: SOURCES.exprClassic,
    says: 'classic_conditions: each condition names a query refId in query.params[0]; later ones have operator and/or',
  },
  // Datasources
  'ds.org': {
    severity: 'fatal',
    source: SOURCES.dsReader,
    says: 'orgId 0 becomes 1; any other org must exist (a fresh Grafana has only 1)',
  },
  'ds.default': {
    severity: 'fatal',
    source: SOURCES.dsReader,
    says: 'at most one isDefault datasource per org, across all files',
  },
  'ds.access': {
    severity: 'logged',
    source: SOURCES.dsReader,
    says: 'access other than proxy/direct is logged and replaced by proxy',
  },
  'ds.apiVersion': {
    severity: 'logged',
    source: SOURCES.dsReader,
    says: 'a file without apiVersion is read as the deprecated v0 format, with a warning',
  },
  'ds.name': {
    severity: 'broken',
    source: SOURCES.dsProvisioner,
    says: 'datasources are created or updated by org and name: each needs a name, unique in its org',
  },
  'ds.uid': {
    severity: 'broken',
    source: `${SOURCES.uid}; ${SOURCES.dsProvisioner}`,
    says: 'a uid is unique in its org and at most 40 letters, digits, - or _',
  },
  'ds.type': { severity: 'broken', source: SOURCES.dsProvisioner, says: 'a datasource names its plugin type' },
  'ds.pluginKeys': {
    severity: 'broken',
    source: SOURCES.plugin,
    says: 'kici-ops-datasource jsonData/secureJsonData keys are exactly ones the plugin reads, and no secret sits in jsonData',
  },
  'provisioning.env': {
    severity: 'broken',
    source: `${SOURCES.values}; docker-compose.yaml (grafana environment)`,
    says: 'a $VAR in a provisioned value is replaced by the environment: the stack must set it',
  },
  // Dashboard providers
  'dash.apiVersion': {
    severity: 'fatal',
    source: SOURCES.dashReader,
    says: 'without apiVersion >= 1 the file is read as the v0 format (a list): a `providers:` map does not parse',
  },
  'dash.org': { severity: 'fatal', source: SOURCES.dashReader, says: 'orgId 0 becomes 1; any other org must exist' },
  'dash.type': {
    severity: 'fatal',
    source: SOURCES.dashReader,
    says: 'type defaults to file; any other type is not supported',
  },
  'dash.path': {
    severity: 'fatal',
    source: SOURCES.dashFileReader,
    says: 'a file provider needs options.path (or the deprecated options.folder) as a string',
  },
  'dash.foldersFromFilesStructure': {
    severity: 'fatal',
    source: SOURCES.dashFileReader,
    says: "with foldersFromFilesStructure, 'folder' and 'folderUID' must not both be set",
  },
  'dash.generalFolder': {
    severity: 'fatal',
    source: SOURCES.dashFileReader,
    says: 'folderUid "general" is refused (ErrFolderInvalidUID), which fails the provider',
  },
  'dash.folderUid': {
    severity: 'logged',
    source: SOURCES.dashReader,
    says: 'the same folderUid in two providers is logged as an error',
  },
  'dash.name': {
    severity: 'broken',
    source: SOURCES.dashReader,
    says: 'provisioned dashboards belong to their provider by name: names are unique',
  },
  'dash.appIncludes': {
    severity: 'broken',
    source: SOURCES.dashUpdater,
    says: "the app's included dashboards are imported by the plugin dashboard updater: a provider over the plugin folder imports the same uids twice",
  },
  // Apps
  'app.type': { severity: 'fatal', source: SOURCES.pluginsReader, says: 'every app item needs type' },
  'app.installed': {
    severity: 'fatal',
    source: SOURCES.pluginsReader,
    says: 'the plugin named by type must be installed (here: one of ours)',
  },
  'app.org': {
    severity: 'fatal',
    source: SOURCES.pluginsReader,
    says: 'org_id < 1 without org_name becomes 1; any other org must exist',
  },
  'app.keys': {
    severity: 'logged',
    source: SOURCES.pluginsReader,
    says: 'an app item has type, org_id, org_name, disabled, jsonData, secureJsonData: other keys are silently ignored',
  },
  'app.pluginKeys': {
    severity: 'broken',
    source: SOURCES.plugin,
    says: 'app jsonData keys are exactly ones the app reads; it reads no secureJsonData',
  },
  'app.datasourceRefs': {
    severity: 'broken',
    source: SOURCES.plugin,
    says: 'the datasource uids in app jsonData name datasources of the right type provisioned here',
  },
  // Dashboards at the floor
  'board.schemaVersion': {
    severity: 'broken',
    source: SOURCES.schemaFloor,
    says: 'schemaVersion at most 41: 11.6.0 knows no newer migration',
  },
  'board.panelType': {
    severity: 'broken',
    source: SOURCES.panelsFloor,
    says: 'every panel type is a core panel of 11.6.0 (or a row)',
  },
  'board.datasourceRef': {
    severity: 'broken',
    source: SOURCES.dashUpdater,
    says: 'datasources by {type, uid} where uid is ${var} of a datasource variable of that type: app includes are imported without inputs',
  },
  'board.inputs': {
    severity: 'broken',
    source: SOURCES.dashUpdater,
    says: 'no __inputs and no ${DS_...}: the importer gets no inputs for an app include and fails on a missing one',
  },
} as const satisfies Record<string, GrafanaRule>;

export type RuleId = keyof typeof RULES;

export function finding(rule: RuleId, where: string, message: string): Finding {
  return { rule, severity: RULES[rule].severity, where, message };
}

/** Findings that stop Grafana or leave a thing not working: what a check of our own files must not have. */
export function failures(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity !== 'logged');
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Grafana reads YAML scalars through `values.StringValue`: whatever the YAML type, the text of it. */
export function text(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

const PROM_DURATION = /^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$/;
const UNIT_MS: Array<[number, number]> = [
  [2, 365 * 24 * 3600e3],
  [4, 7 * 24 * 3600e3],
  [6, 24 * 3600e3],
  [8, 3600e3],
  [10, 60e3],
  [12, 1e3],
  [14, 1],
];

/** prometheus/common model.ParseDuration: milliseconds, or null where Grafana gets an error. */
export function parsePromDuration(s: string): number | null {
  if (s === '') {
    return null; // "empty duration string"
  }
  if (s === '0') {
    return 0;
  }
  const m = PROM_DURATION.exec(s);
  if (!m) {
    return null;
  }
  return UNIT_MS.reduce((sum, [group, ms]) => sum + (m[group] ? Number(m[group]) * ms : 0), 0);
}

/** util.ValidateUID */
export function uidProblem(uid: string): string | null {
  if (uid.length > 40) {
    return 'UID is longer than 40 symbols';
  }
  if (!/^[a-zA-Z0-9\-_]*$/.test(uid)) {
    return "invalid format of UID. Only letters, numbers, '-' and '_' are allowed";
  }
  return null;
}

/**
 * Names os.ExpandEnv replaces in `s` ($NAME, ${NAME}, $__env{NAME}), after Grafana's `$$` escape. Special one-character
 * shell names ($1, $*) count too: they expand to nothing.
 */
export function envRefs(s: string): string[] {
  const refs: string[] = [];
  for (const part of s.split('$$')) {
    const re = /\$(?:__env\{([^}]*)\}|\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*)|([*#$@!?\-0-9]))/g;
    for (const m of part.matchAll(re)) {
      refs.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
    }
  }
  return refs;
}
