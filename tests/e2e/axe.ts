// axe-core (WCAG 2 A/AA) on a page, split into what the plugin owns and what the allow-list explains.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface Finding {
  rule: string;
  impact: string;
  target: string;
  html: string;
  summary: string;
}

/**
 * Violations the plugin does not own, each with its reason. A node matches when its CSS target path contains
 * `target` (and, when given, its rule is `rule`).
 */
export const ALLOWED: Array<{ rule?: string; target: RegExp; why: string }> = [
  {
    target: /\[data-testid="host-/,
    why: "the host's stand-ins (chrome, role switcher, panel stand-ins) are not Grafana's and not the plugin's",
  },
  {
    rule: 'button-name',
    target: /data-testid="data-testid RefreshPicker run button"/,
    why: "Grafana's own RefreshPicker (@grafana/ui 12.4.2) renders its run button without a name when it shows no text",
  },
  {
    rule: 'label-content-name-mismatch',
    target: /aria-label="Choose refresh time interval/,
    why: "Grafana's own RefreshPicker names its interval button 'Choose refresh time interval…' while it shows '30s'",
  },
];

export async function axeFindings(page: Page): Promise<{ owned: Finding[]; allowed: Finding[] }> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  // Two best-practice rules the issue named (an unnamed column header, a skipped heading level), run as well.
  const extra = await new AxeBuilder({ page }).withRules(['empty-table-header', 'heading-order']).analyze();
  const owned: Finding[] = [];
  const allowed: Finding[] = [];
  for (const v of [...result.violations, ...extra.violations]) {
    for (const node of v.nodes) {
      const f: Finding = {
        rule: v.id,
        impact: v.impact ?? '',
        target: node.target.join(' '),
        html: node.html.slice(0, 200),
        summary: (node.failureSummary ?? '').split('\n').slice(0, 2).join(' '),
      };
      const hit = ALLOWED.find(
        (a) => (!a.rule || a.rule === v.id) && (a.target.test(f.target) || a.target.test(f.html))
      );
      (hit ? allowed : owned).push(f);
    }
  }
  return { owned, allowed };
}
