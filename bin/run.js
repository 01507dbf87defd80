#!/usr/bin/env node
// Entry point. Keep this file tiny: every import here is paid by every command.
import module from 'node:module'
import {execute, settings} from '@oclif/core'

// Node 22+ can keep V8's compiled code between runs; Node 20 has no such switch.
module.enableCompileCache?.()
// Berth ships compiled JavaScript; a linked plugin without a manifest must not make oclif try to
// transpile it (and warn on every run).
settings.enableAutoTranspile = false
await execute({dir: import.meta.url})
