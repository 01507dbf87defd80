#!/usr/bin/env node
// Entry point. Keep this file tiny: every import here is paid by every command.
import {execute, settings} from '@oclif/core'

// Berth ships compiled JavaScript; a linked plugin without a manifest must not make oclif try to
// transpile it (and warn on every run).
settings.enableAutoTranspile = false
await execute({dir: import.meta.url})
