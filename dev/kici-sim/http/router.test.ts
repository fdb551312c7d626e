import { json, notFound, Router } from './router';

describe('router', () => {
  const router = new Router()
    .get('/api/v1/admin/event-dlq/count', () => json(200, { which: 'count' }))
    .delete('/api/v1/admin/event-dlq/:id', (ctx) => json(200, { id: ctx.params.id }))
    .post('/api/v1/admin/event-dlq/:id/retry', (ctx) => json(200, { retry: ctx.params.id }));

  it('matches method and path and captures decoded params', () => {
    expect(router.match('GET', '/api/v1/admin/event-dlq/count')).not.toBeNull();
    expect(router.match('DELETE', '/api/v1/admin/event-dlq/a%20b')!.params).toEqual({ id: 'a b' });
    expect(router.match('POST', '/api/v1/admin/event-dlq/x/retry')!.params).toEqual({ id: 'x' });
  });

  it('does not match other methods or lengths', () => {
    expect(router.match('POST', '/api/v1/admin/event-dlq/count')).toBeNull();
    expect(router.match('GET', '/api/v1/admin/event-dlq/x/retry')).toBeNull();
    expect(router.match('DELETE', '/api/v1/admin/event-dlq/%E0%A4%A')).toBeNull();
  });

  it('answers unknown routes like Hono', () => {
    expect(notFound()).toEqual({ status: 404, contentType: 'text/plain; charset=UTF-8', body: '404 Not Found' });
  });
});
