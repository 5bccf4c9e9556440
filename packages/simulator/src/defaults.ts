// Names and numbers a user of the simulator may need to know.

export const PROTECTION_GROUP_SERVICE = 'com.vmware.snapservice.protection_group';

/** The services of the built-in snapservice tasks (pass them as the `services` filter). */
export const SNAPSERVICE_SERVICES: readonly string[] = [PROTECTION_GROUP_SERVICE];

export const DEFAULTS = {
  seed: 1,
  /** The simulated start with a manual clock, so that a seed gives the same bytes run after run. */
  manualStartTime: '2026-01-05T09:00:00.000Z',
  vms: 6,
  snapshots: 6,
  retentionMs: 300_000,
  velostrataUsername: 'apiuser',
  velostrataPassword: 'simulated-subscription-id',
  snapserviceSessionPrefix: 'simulated-session-',
  samlToken: 'simulated-saml-token',
  /** Who logs in to the snapservice (`POST /api/snapservice/sessions`, HTTP Basic). */
  snapserviceUsername: 'administrator@vsphere.local',
  snapservicePassword: 'simulated-password',
  /** The API version in the Velostrata URL (`/velostrata/api/v42`). */
  velostrataVersion: '42',
  /** A snapservice list never returns more (vendor reference). */
  maxListedTasks: 1000,
} as const;
