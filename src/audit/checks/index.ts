import { ObjectCheck } from '../check';
import { FRONT_DOOR_CHECKS } from './front-doors';
import { OBJECT_CHECKS } from './objects';
import { POD_CHECKS } from './pod';
import { PRIORITY_CHECKS } from './priority';
import { RBAC_CHECKS } from './rbac';
import { SECRET_CHECKS } from './secrets';
import { STORAGE_CHECKS } from './storage';
import { METADATA_CHECKS } from './metadata';
import { MONITOR_CHECKS } from './monitoring';
import { TRACK_CHECKS } from './tracks';
import { VERTICAL_CHECKS } from './vertical';

/** Every object-level check of the catalog. */
export const ALL_CHECKS: readonly ObjectCheck[] = [...OBJECT_CHECKS, ...POD_CHECKS, ...SECRET_CHECKS, ...FRONT_DOOR_CHECKS, ...METADATA_CHECKS, ...TRACK_CHECKS, ...PRIORITY_CHECKS, ...STORAGE_CHECKS, ...RBAC_CHECKS, ...VERTICAL_CHECKS, ...MONITOR_CHECKS];
