// The little Grafana chrome the host draws around the app: page title and tabs (setPluginPage), a side menu from
// plugin.json `includes`, the signed-in role with a switcher, and toasts for the plugin's appEvents alerts.
import { AppEvents, type NavModelItem, type AppPluginMeta, type GrafanaTheme2 } from '@grafana/data';
import { config, getAppEvents, type PluginPageProps } from '@grafana/runtime';
import { Alert, RadioButtonGroup, Tab, TabsBar, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import React, { useEffect, useState } from 'react';

const getStyles = (theme: GrafanaTheme2) => ({
  shell: css({ display: 'flex', minHeight: '100vh', background: theme.colors.background.canvas }),
  menu: css({
    width: 200,
    flexShrink: 0,
    borderRight: `1px solid ${theme.colors.border.weak}`,
    background: theme.colors.background.primary,
    padding: theme.spacing(2, 1),
    a: {
      display: 'block',
      padding: theme.spacing(0.75, 1.5),
      borderRadius: theme.shape.radius.default,
      color: theme.colors.text.secondary,
    },
    'a[aria-current="page"]': { color: theme.colors.text.primary, background: theme.colors.action.selected },
  }),
  main: css({ flex: 1, minWidth: 0, padding: theme.spacing(2, 3) }),
  top: css({
    display: 'flex',
    justifyContent: 'flex-end',
    gap: theme.spacing(1),
    alignItems: 'center',
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  toasts: css({ position: 'fixed', top: theme.spacing(2), right: theme.spacing(2), width: 420, zIndex: 1000 }),
  subTitle: css({ color: theme.colors.text.secondary, marginBottom: theme.spacing(2) }),
});

export function HostPluginPage({ pageNav, children, actions }: PluginPageProps) {
  const styles = useStyles2(getStyles);
  const tabs = (pageNav?.children ?? []) as NavModelItem[];
  return (
    <div data-testid="host-plugin-page">
      {pageNav?.text && <h1>{pageNav.text}</h1>}
      {pageNav?.subTitle && <div className={styles.subTitle}>{pageNav.subTitle}</div>}
      {actions}
      {tabs.length > 0 && (
        <TabsBar>
          {tabs.map((t) => (
            <Tab key={t.url ?? t.text} label={t.text} href={t.url} active={t.active} />
          ))}
        </TabsBar>
      )}
      {children}
    </div>
  );
}

function Toasts() {
  const styles = useStyles2(getStyles);
  const [items, setItems] = useState<Array<{ id: number; severity: 'success' | 'error' | 'warning'; text: string }>>(
    []
  );
  useEffect(() => {
    let n = 0;
    const bus = getAppEvents() as unknown as {
      subscribe: (t: unknown, h: (e: { payload: unknown }) => void) => { unsubscribe(): void };
    };
    const add = (severity: 'success' | 'error' | 'warning') => (e: { payload: unknown }) => {
      const id = ++n;
      const text = (Array.isArray(e.payload) ? e.payload : [e.payload]).filter((x) => typeof x === 'string').join(': ');
      setItems((xs) => [...xs, { id, severity, text }]);
      setTimeout(() => setItems((xs) => xs.filter((x) => x.id !== id)), 8000);
    };
    // Plugins publish `{type: AppEvents.alertSuccess.name, payload}`; the bus filters on `type`, and the legacy
    // event objects only carry `name`.
    const subs = [
      bus.subscribe({ type: AppEvents.alertSuccess.name }, add('success')),
      bus.subscribe({ type: AppEvents.alertError.name }, add('error')),
      bus.subscribe({ type: AppEvents.alertWarning.name }, add('warning')),
    ];
    return () => subs.forEach((s) => s.unsubscribe());
  }, []);
  return (
    <div className={styles.toasts} data-testid="host-toasts">
      {items.map((t) => (
        <Alert
          key={t.id}
          severity={t.severity}
          title={t.text}
          onRemove={() => setItems((xs) => xs.filter((x) => x.id !== t.id))}
        />
      ))}
    </div>
  );
}

const ROLES = ['Viewer', 'Editor', 'Admin'];

export function Shell({
  meta,
  pathname,
  children,
}: {
  meta: AppPluginMeta;
  pathname: string;
  children: React.ReactNode;
}) {
  const styles = useStyles2(getStyles);
  const pages = (meta.includes ?? []).filter((i) => i.type === 'page' && i.addToNav && i.path);
  const role = config.bootData.user.orgRole;
  return (
    <div className={styles.shell}>
      <nav className={styles.menu} data-testid="host-menu">
        <div style={{ padding: '0 12px 12px', fontWeight: 500 }}>{meta.name}</div>
        {pages.map((p) => {
          const href = p.path!.replace('%PLUGIN_ID%', meta.id);
          return (
            <a key={href} href={href} aria-current={pathname.startsWith(href) ? 'page' : undefined}>
              {p.name}
            </a>
          );
        })}
      </nav>
      <main className={styles.main}>
        <div className={styles.top}>
          <span data-testid="host-user">
            Signed in as <b>{config.bootData.user.login}</b> ({role})
          </span>
          <div data-testid="host-role">
            <RadioButtonGroup
              size="sm"
              value={role}
              options={ROLES.map((r) => ({ label: r, value: r, description: `Browse as a Grafana ${r}` }))}
              onChange={(next) => {
                const u = new URL(window.location.href);
                u.searchParams.set('role', next);
                window.location.assign(u.toString());
              }}
            />
          </div>
        </div>
        {children}
      </main>
      <Toasts />
    </div>
  );
}
