import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { allowedMethods } from './allowed-methods.ts'

describe('allowedMethods', () => {
  const api = new Hono()
    .get('/', (c) => c.text('list'))
    .post('/', (c) => c.text('add'))
    .patch('/:id', (c) => c.text('change'))
    .delete('/:id', (c) => c.text('gone'))
  const app = new Hono()
  app.use('*', async (_c, next) => next())
  app.use('/admin/*', async (_c, next) => next())
  app.route('/api/items', api)
  app.get('/page', (c) => c.text('page')).post('/page', (c) => c.text('posted'))
  app.on('PURGE', '/cache', (c) => c.text('purged'))
  const allowed = allowedMethods(app)

  it('lists the methods a path answers, HEAD wherever GET is, in the usual order', () => {
    expect(allowed('/page')).toBe('GET, HEAD, POST')
    expect(allowed('/api/items')).toBe('GET, HEAD, POST')
    expect(allowed('/api/items/7')).toBe('PATCH, DELETE')
    expect(allowed('/cache')).toBe('PURGE')
  })

  it('knows no path that only middleware covers, and none that no route has', () => {
    expect(allowed('/admin/anything')).toBeUndefined()
    expect(allowed('/nowhere')).toBeUndefined()
    expect(allowed('/api/items/7/more')).toBeUndefined()
  })

  it('reads routes mounted after it was made (the table is read on first use)', () => {
    const late = new Hono()
    const lateAllowed = allowedMethods(late)
    late.put('/late', (c) => c.text('ok'))
    expect(lateAllowed('/late')).toBe('PUT')
  })
})
