import { parseCookies, permissionsFor, roleAtLeast, SessionError, sessionFrom } from './session';

const defaults = { role: 'Admin' as const, datasourceUid: 'kici', datasourceUids: ['kici', 'kici-dlq-backlog'] };

it('defaults to the configured role and datasource without cookies', () => {
  expect(sessionFrom(new URLSearchParams(), undefined, defaults)).toEqual({
    role: 'Admin',
    datasourceUid: 'kici',
    setCookies: [],
  });
});

it('takes ?role= and ?ds= (any case for the role) and asks to remember them', () => {
  const s = sessionFrom(new URLSearchParams('role=viewer&ds=kici-dlq-backlog'), undefined, defaults);
  expect(s.role).toBe('Viewer');
  expect(s.datasourceUid).toBe('kici-dlq-backlog');
  expect(s.setCookies).toEqual([
    'kici_host_role=Viewer; Path=/; SameSite=Lax',
    'kici_host_ds=kici-dlq-backlog; Path=/; SameSite=Lax',
  ]);
});

it('reads the cookies on later requests, ignoring unknown values', () => {
  const s = sessionFrom(new URLSearchParams(), 'a=1; kici_host_role=Editor; kici_host_ds=kici-dlq-backlog', defaults);
  expect([s.role, s.datasourceUid, s.setCookies]).toEqual(['Editor', 'kici-dlq-backlog', []]);
  const bad = sessionFrom(new URLSearchParams(), 'kici_host_role=Root; kici_host_ds=nope', defaults);
  expect([bad.role, bad.datasourceUid]).toEqual(['Admin', 'kici']);
});

it('rejects an unknown role or datasource in the query with a clear message', () => {
  expect(() => sessionFrom(new URLSearchParams('role=Root'), undefined, defaults)).toThrow(SessionError);
  expect(() => sessionFrom(new URLSearchParams('role=Root'), undefined, defaults)).toThrow(
    'unknown role "Root": use one of Viewer, Editor, Admin'
  );
  expect(() => sessionFrom(new URLSearchParams('ds=x'), undefined, defaults)).toThrow(
    'unknown datasource uid "x": this host serves kici, kici-dlq-backlog'
  );
});

it('parses cookies with encoded values', () => {
  expect(parseCookies('x=a%20b; y = 2')).toEqual({ x: 'a b', y: '2' });
});

it('orders the basic roles and grants plugin roles upwards', () => {
  expect(roleAtLeast('Admin', 'Editor')).toBe(true);
  expect(roleAtLeast('Viewer', 'Editor')).toBe(false);
  const plugin = {
    roles: [
      { role: { permissions: [{ action: 'app.read' }] }, grants: ['Viewer'] },
      { role: { permissions: [{ action: 'app.write' }] }, grants: ['Editor'] },
    ],
  };
  expect(permissionsFor('Viewer', plugin)).toEqual({ 'app.read': true });
  expect(permissionsFor('Admin', plugin)).toEqual({ 'app.read': true, 'app.write': true });
});
