import { ObjectCheck } from '../engine';
import { OBJECT_CHECKS } from './objects';
import { POD_CHECKS } from './pod';
import { SECRET_CHECKS } from './secrets';

/** Every object-level check of the catalog. */
export const ALL_CHECKS: readonly ObjectCheck[] = [...OBJECT_CHECKS, ...POD_CHECKS, ...SECRET_CHECKS];
