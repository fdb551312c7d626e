// Registries Grafana core fills at boot: the transformations (their logic is in @grafana/data) and the standard
// field options. Without the latter VizPanel drops `fieldConfig` (units, mappings, display names, overrides).
import {
  type FieldConfigPropertyItem,
  standardFieldConfigEditorRegistry,
  standardTransformers,
  standardTransformersRegistry,
} from '@grafana/data';

const NoEditor = () => null;

export function optionItem(id: string, extra: Partial<FieldConfigPropertyItem> = {}): FieldConfigPropertyItem {
  return {
    id,
    path: id,
    name: id,
    editor: NoEditor,
    override: NoEditor,
    process: (value: unknown) => value,
    shouldApply: () => true,
    ...extra,
  } as FieldConfigPropertyItem;
}

export function installRegistries(): void {
  standardFieldConfigEditorRegistry.setInit(() => [
    ...['displayName', 'unit', 'decimals', 'mappings', 'noValue', 'min', 'max', 'links', 'filterable'].map((id) =>
      optionItem(id)
    ),
    optionItem('thresholds', {
      defaultValue: { mode: 'absolute', steps: [{ value: -Infinity, color: 'green' }] },
    } as Partial<FieldConfigPropertyItem>),
    optionItem('color', { defaultValue: { mode: 'palette-classic' } } as Partial<FieldConfigPropertyItem>),
  ]);
  // @grafana/data lists some transformers twice (e.g. joinByField): the registry rejects duplicate ids.
  standardTransformersRegistry.setInit(() => {
    const byId = new Map(Object.values(standardTransformers).map((t) => [t.id, t]));
    return [...byId.values()].map(
      (transformation) =>
        ({
          id: transformation.id,
          name: transformation.name,
          description: '',
          transformation,
          editor: NoEditor,
        }) as never
    );
  });
}
