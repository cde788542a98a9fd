import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PodSize } from '../../src';

/** A small, valid container size. */
export const SMALL: PodSize = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };
