import readChangesets from '@changesets/read';

export type Bump = 'patch' | 'minor' | 'major';
const ORDER: Record<Bump | 'none', number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** The largest bump each package gets from the pending changesets in `.changeset/`. */
export async function pendingBumps(rootDir: string): Promise<Map<string, Bump>> {
  const bumps = new Map<string, Bump>();
  for (const changeset of await readChangesets(rootDir)) {
    for (const release of changeset.releases) {
      if (release.type === 'none') continue;
      const current = bumps.get(release.name);
      if (!current || ORDER[release.type] > ORDER[current]) bumps.set(release.name, release.type);
    }
  }
  return bumps;
}

export function satisfies(bump: Bump | undefined, required: Bump): boolean {
  return ORDER[bump ?? 'none'] >= ORDER[required];
}
