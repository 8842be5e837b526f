// `node --import ./module-log.mjs`: writes the URL of every module the process loads to the file
// named by MODULE_LOG, so a test can check what a server did (not) load.
import { register } from 'node:module'

register('./module-log-hooks.mjs', import.meta.url, { data: { file: process.env.MODULE_LOG } })
