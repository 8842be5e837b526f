/*
 * No imports: pages read this too, and a page's imports are the browser's bundle (schemas.ts brings
 * #shared/http, whose server modules would follow it there).
 */

/**
 * The most different products one cart holds: what reading, showing and ordering a cart costs
 * stays bounded (a script could otherwise add a catalogue's worth, and every view of that cart
 * would read and render each line: past ~32,000 it fails outright, SQLite's limit of variables).
 */
export const MAX_LINES = 100
