// Just enough of Grafana's plugin extension registry for the host to show an app's added links where Grafana would:
// the registration checks (registry/AddedLinksRegistry.ts, MetaValidator.ts: title, description, path under
// /a/<id>/, declared in plugin.json `extensions.addedLinks` with every target), then per extension point and context
// what usePluginLinks returns (utils.tsx getLinkExtensionOverrides: configure() on a read-only context, undefined
// hides, overrides of title/description/path/icon/category, a bad override drops the link). Facts, not Grafana code;
// tests/grafana-rules/extensions.ts names the files.
export interface AddedLinkConfig {
  targets: string | string[];
  title: string;
  description?: string;
  path?: string;
  onClick?: unknown;
  icon?: string;
  category?: string;
  configure?: (context?: object) => Record<string, unknown> | undefined;
}

export interface DeclaredLink {
  targets: string[];
  title: string;
  description: string;
}

export interface HostLink {
  id: string;
  title: string;
  description: string;
  path: string;
  icon?: string;
  category?: string;
}

export interface Registry {
  links: Array<AddedLinkConfig & { extensionPointId: string }>;
  /** Why a link was not registered (Grafana logs these). */
  refused: string[];
}

const targetsOf = (l: AddedLinkConfig) => (Array.isArray(l.targets) ? l.targets : [l.targets]);
const validPath = (pluginId: string, p: unknown) => typeof p === 'string' && p.startsWith(`/a/${pluginId}/`);

export function buildRegistry(pluginId: string, configs: AddedLinkConfig[], declared: DeclaredLink[]): Registry {
  const registry: Registry = { links: [], refused: [] };
  for (const config of configs) {
    const meta = declared.find((d) => d.title === config.title);
    const problems = [
      !config.title && 'title is missing',
      !config.description && 'description is missing',
      config.configure !== undefined && typeof config.configure !== 'function' && 'configure is not a function',
      !config.path && !config.onClick && 'either "path" or "onClick" is required',
      config.path && !validPath(pluginId, config.path) && `path must start with /a/${pluginId}/`,
      !meta && 'not declared in plugin.json extensions.addedLinks',
      meta && !targetsOf(config).every((t) => meta.targets.includes(t)) && 'targets not declared in plugin.json',
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length > 0) {
      registry.refused.push(`${config.title}: ${problems.join('; ')}`);
      continue;
    }
    for (const extensionPointId of targetsOf(config)) {
      registry.links.push({ ...config, extensionPointId });
    }
  }
  return registry;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) {
      deepFreeze(v);
    }
  }
  return value;
}

/** What a Grafana extension point renders for this context, in registration order. */
export function linksAt(
  pluginId: string,
  registry: Registry,
  extensionPointId: string,
  context?: object,
  limitPerPlugin?: number
): HostLink[] {
  const frozen = context === undefined ? undefined : deepFreeze(structuredClone(context));
  const out: HostLink[] = [];
  registry.links
    .filter((l) => l.extensionPointId === extensionPointId)
    .forEach((l, i) => {
      let o: Record<string, unknown> | undefined = {};
      try {
        o = l.configure ? l.configure(frozen) : {};
      } catch {
        return;
      }
      if (o === undefined || o instanceof Promise) {
        return;
      }
      const path = (o.path as string | undefined) ?? l.path;
      const title = (o.title as string | undefined) ?? l.title;
      const description = (o.description as string | undefined) ?? l.description ?? '';
      if (!validPath(pluginId, path) || !title || !description) {
        return;
      }
      out.push({
        id: `${pluginId}/${extensionPointId}/${i}`,
        title,
        description,
        path: path!,
        icon: (o.icon as string | undefined) ?? l.icon,
        category: (o.category as string | undefined) ?? l.category,
      });
    });
  return limitPerPlugin === undefined ? out : out.slice(0, limitPerPlugin);
}
