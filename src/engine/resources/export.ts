/** A container's whole filesystem as a tar stream: GET /containers/{id}/export (running or not). */
import type {Readable} from 'node:stream'
import type {EngineClient} from '../client.js'
import type {StatusMeanings} from '../errors.js'
import {enc, type CommonOptions} from './containers.js'

export const EXPORT_MEANINGS: StatusMeanings = {404: 'no such container', 500: 'cannot export container'}

export async function exportContainer(engine: EngineClient, id: string, options: CommonOptions = {}): Promise<Readable> {
  const res = await engine.stream({method: 'GET', path: `/containers/${enc(id)}/export`, meanings: EXPORT_MEANINGS, subject: {kind: 'container', ref: id}, signal: options.signal})
  return res.body
}
