import { ObjectCheck } from '../engine';
import { OBJECT_CHECKS } from './objects';
import { POD_CHECKS } from './pod';

/** Every object-level check of the catalog. */
export const ALL_CHECKS: readonly ObjectCheck[] = [...OBJECT_CHECKS, ...POD_CHECKS];
