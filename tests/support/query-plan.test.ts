import { describe, expect, it } from 'vitest'
import { planProblems } from './query-plan.ts'

describe('planProblems', () => {
  it('names full scans, index scans outside a walkable listing, and sorts', () => {
    expect(planProblems(['SCAN products'])).toEqual(['full scan of products'])
    expect(planProblems(['SCAN products USING INDEX products_created'], { walkable: true })).toEqual([])
    expect(planProblems(['SCAN products USING COVERING INDEX products_price'])).toEqual(['index scan of products'])
    expect(planProblems(['SEARCH products USING INDEX products_category (category_id=?)', 'USE TEMP B-TREE FOR ORDER BY'])).toEqual(['sort'])
    expect(planProblems(['SCAN products USING INDEX products_price', 'USE TEMP B-TREE FOR LAST TERM OF ORDER BY'], { walkable: true })).toEqual(['sort'])
    expect(planProblems(['SCAN products_fts VIRTUAL TABLE INDEX 0:M2', 'SEARCH products USING INTEGER PRIMARY KEY (rowid=?)'])).toEqual([])
    expect(planProblems(['SCAN products_fts VIRTUAL TABLE INDEX 0:'])).toEqual(['full scan of products_fts'])
  })
})
