/**
 * `--chown=user[:group]` -> numeric ids. Numbers are taken as they are; names are looked up in
 * the image's /etc/passwd and /etc/group (read by the caller). A user without a group uses the
 * same number as its uid, as the Dockerfile reference says.
 */
import {BuildError} from './errors.js'

export interface Ids {
  uid: number
  gid: number
}

export function needsLookup(chown: string): boolean {
  return chown.split(':').some((part) => part !== '' && !/^\d+$/.test(part))
}

export function resolveChown(chown: string, passwd: string | undefined, group: string | undefined): Ids {
  const [userPart, groupPart] = chown.split(':', 2)
  const uid = lookup(userPart, passwd, 'user', 2)
  const gid = groupPart === undefined || groupPart === '' ? uid : lookup(groupPart, group, 'group', 2)
  return {uid, gid}
}

function lookup(name: string, file: string | undefined, kind: 'user' | 'group', idField: number): number {
  if (/^\d+$/.test(name)) return Number(name)
  for (const line of (file ?? '').split('\n')) {
    const fields = line.split(':')
    if (fields[0] === name && fields.length > idField && /^\d+$/.test(fields[idField])) return Number(fields[idField])
  }
  throw new BuildError('BUILD_CHOWN', `--chown: unable to find ${kind} ${name}: no matching entries in the image's /etc/${kind === 'user' ? 'passwd' : 'group'}`)
}
