// Long text columns of the Overview's tables ("Message", "What to do", "Cluster", "Rule") wrap in real Grafana, read
// from Grafana's own table across the range the plugin declares:
// - Grafana 12.x (@grafana/ui 12.4.2 components/Table/TableNG/utils.ts, shouldTextWrap): a column wraps when its field
//   config says `custom.wrapText`; rows grow to the tallest wrapped cell.
// - Grafana 11.6 (@grafana/ui 11.6.0 components/Table/Table.tsx and RowsList.tsx): only an override whose
//   `custom.cellOptions` carries `wrapText` turns wrapping on; then every cell of the table wraps, and the row height is
//   measured on ONE field, the last such override's (`textWrapField`). So exactly one column — the longest — carries it.
// - grafana/grafana public/app/plugins/panel/table/migrations.ts (migrateTextWrapToFieldLevel, 12.x): a saved
//   `custom.cellOptions.wrapText` override becomes `custom.wrapText`, so the 11.6 form stays valid on 12.x.
// `custom.inspect` (both) opens Grafana's cell inspector on the columns whose text may still not fit.
import type { FieldConfigOverridesBuilder } from '@grafana/scenes';
import { type TableCellOptions, TableCellDisplayMode, type TableFieldOptions } from '@grafana/schema';

/** 11.6's auto cell with wrapping (12.x types dropped `wrapText` from the auto cell: migrated to the field). */
export const LEGACY_WRAP_CELL = { type: TableCellDisplayMode.Auto, wrapText: true } as unknown as TableCellOptions;

/**
 * The field named `name` wraps and can be inspected; `sizesRows`: the one column per table whose text measures the
 * rows on Grafana 11.6 (the longest one).
 */
export function wrapColumn(
  b: FieldConfigOverridesBuilder<TableFieldOptions>,
  name: string,
  displayName: string,
  sizesRows = false
): FieldConfigOverridesBuilder<TableFieldOptions> {
  const r = b
    .matchFieldsWithName(name)
    .overrideDisplayName(displayName)
    .overrideCustomFieldConfig('wrapText', true)
    .overrideCustomFieldConfig('inspect', true);
  return sizesRows ? r.overrideCustomFieldConfig('cellOptions', LEGACY_WRAP_CELL) : r;
}
