import { describe, expect, it } from 'vitest'
import { withVary } from './vary.ts'

describe('withVary', () => {
  it('adds a name once, whatever its case, and drops repeats already there', () => {
    expect(withVary(undefined, 'Accept-Encoding')).toBe('Accept-Encoding')
    expect(withVary('X-Tessera-Data', 'Accept-Encoding')).toBe('X-Tessera-Data, Accept-Encoding')
    expect(withVary('X-Tessera-Data, accept-encoding', 'Accept-Encoding')).toBe('X-Tessera-Data, accept-encoding')
    expect(withVary('X-Tessera-Data, Accept-Encoding, x-tessera-data,, Accept-Encoding')).toBe('X-Tessera-Data, Accept-Encoding')
  })
})
