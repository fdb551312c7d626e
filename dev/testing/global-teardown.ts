// Stops the PostgreSQL started by global-setup.ts (jest runs both in the same parent process).
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __KICI_TEST_PG__?: { stop(): Promise<void> } };
  const pg = holder.__KICI_TEST_PG__;
  holder.__KICI_TEST_PG__ = undefined;
  if (pg) {
    await pg.stop();
  }
}
