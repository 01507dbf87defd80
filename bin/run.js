#!/usr/bin/env node
// Entry point. Keep this file tiny: every import here is paid by every command.
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
