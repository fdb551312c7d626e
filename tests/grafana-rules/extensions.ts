// What Grafana does with an app's added links, as pure checks returning the problems found (empty: Grafana shows the
// link). Facts read from Grafana's source, no code copied:
// - public/app/features/plugins/extensions/registry/AddedLinksRegistry.ts (mapToRegistry) and
//   public/app/features/plugins/extensions/validators.ts (isLinkPathValid, isConfigureFnValid,
//   isAddedLinkMetaInfoMissing) and MetaValidator.ts (addedLinkNotDefined, addedLinkTargetsNotDefined), as stored in
//   the public code index for the 11.x and 12.x lines: a link without title or description, without path and onClick,
//   with a path outside `/a/<plugin id>/` or a non-function configure is not registered; a link whose title is not in
//   plugin.json `extensions.addedLinks[]`, or whose targets are not all listed under that title, is refused (11.x:
//   in dev mode, logged as "Could not register link extension"; later lines refuse it outright). A different
//   description is only warned about; it is held to equality here.
// - validators.ts isExtensionPointIdValid: a target starts with `grafana/`, `plugins/<id>/` or `<id>/`.
// - public/app/features/plugins/extensions/utils.tsx getLinkExtensionOverrides: configure() returning undefined hides
//   the link; a returned promise is refused; an overriding path must be valid like the static one; title and
//   description must stay non-empty strings; keys other than title, description, path, icon, category are ignored.
// - pkg/plugins/plugins.go (Extensions/ExtensionsV2 UnmarshalJSON): `addedLinks` is a list of
//   {targets: string[], title: string, description: string}.
import type { PluginExtensionAddedLinkConfig } from '@grafana/data';

export interface AddedLinkMeta {
  targets: string[];
  title: string;
  description: string;
}

export function declarationShapeProblems(extensions: unknown): string[] {
  const links = (extensions as { addedLinks?: unknown } | undefined)?.addedLinks;
  if (!Array.isArray(links)) {
    return ['plugin.json extensions.addedLinks is not a list'];
  }
  const problems: string[] = [];
  links.forEach((l, i) => {
    const link = l as Partial<Record<keyof AddedLinkMeta, unknown>>;
    if (!Array.isArray(link.targets) || !link.targets.every((t) => typeof t === 'string')) {
      problems.push(`addedLinks[${i}].targets is not a list of strings`);
    }
    if (typeof link.title !== 'string' || typeof link.description !== 'string') {
      problems.push(`addedLinks[${i}] needs a string title and description`);
    }
  });
  return problems;
}

const nonEmpty = (v: unknown) => typeof v === 'string' && v.length > 0;
const pathValid = (pluginId: string, path: unknown) => typeof path === 'string' && path.startsWith(`/a/${pluginId}/`);

export function registrationProblems(pluginId: string, link: PluginExtensionAddedLinkConfig<object>): string[] {
  const problems: string[] = [];
  const name = `"${link.title}"`;
  if (!nonEmpty(link.title)) {
    problems.push('a link without a title');
  }
  if (!nonEmpty(link.description)) {
    problems.push(`${name}: description is missing`);
  }
  if (link.configure !== undefined && typeof link.configure !== 'function') {
    problems.push(`${name}: configure is not a function`);
  }
  if (!link.path && !link.onClick) {
    problems.push(`${name}: either "path" or "onClick" is required`);
  }
  if (link.path && !pathValid(pluginId, link.path)) {
    problems.push(`${name}: path "${link.path}" does not start with "/a/${pluginId}/"`);
  }
  const targets = Array.isArray(link.targets) ? link.targets : [link.targets];
  for (const target of targets) {
    if (!(
      target.startsWith('grafana/') ||
      target.startsWith(`plugins/${pluginId}/`) ||
      target.startsWith(`${pluginId}/`)
    )) {
      problems.push(`${name}: target ${target} must start with grafana/, plugins/${pluginId}/ or ${pluginId}/`);
    }
  }
  return problems;
}

export function metaInfoProblems(link: PluginExtensionAddedLinkConfig<object>, declared: AddedLinkMeta[]): string[] {
  const meta = declared.find((d) => d.title === link.title);
  if (!meta) {
    return [`"${link.title}" is not declared in plugin.json extensions.addedLinks[]`];
  }
  const targets = Array.isArray(link.targets) ? link.targets : [link.targets];
  const problems = targets
    .filter((t) => !meta.targets.includes(t))
    .map((t) => `"${link.title}": target ${t} is not listed in plugin.json`);
  if (meta.description !== link.description) {
    problems.push(`"${link.title}": plugin.json says "${meta.description}", the module "${link.description}"`);
  }
  return problems;
}

const OVERRIDABLE = ['title', 'description', 'path', 'icon', 'category'];

/** The problems of one configure() result; `undefined` (hidden) has none. */
export function overrideProblems(pluginId: string, title: string, result: unknown): string[] {
  if (result === undefined) {
    return [];
  }
  if (result instanceof Promise || (typeof result === 'object' && result !== null && 'then' in result)) {
    return [`"${title}": configure() returned a promise`];
  }
  const r = result as Record<string, unknown>;
  const problems: string[] = [];
  if ('path' in r && r.path !== undefined && !pathValid(pluginId, r.path)) {
    problems.push(`"${title}": configure() path "${String(r.path)}" does not start with "/a/${pluginId}/"`);
  }
  for (const key of ['title', 'description']) {
    if (key in r && r[key] !== undefined && !nonEmpty(r[key])) {
      problems.push(`"${title}": configure() ${key} must be a non-empty string`);
    }
  }
  const ignored = Object.keys(r).filter((k) => !OVERRIDABLE.includes(k));
  if (ignored.length > 0) {
    problems.push(`"${title}": configure() overrides ${ignored.join(', ')}, which Grafana ignores`);
  }
  return problems;
}
