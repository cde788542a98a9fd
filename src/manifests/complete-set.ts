import * as path from 'path';
import { MARKER } from '../synth/write-tree';
import { LoadFs, REAL_LOAD_FS } from './load';

/**
 * Whether every path is a directory seaworthy wrote (it, or a folder above it, holds the
 * `.seaworthy-output` marker): such a tree is the whole output of an app, a complete set. A
 * single file of it is not (the others hold its Namespaces, Services and budgets).
 * @internal
 */
export function writtenBySeaworthy(paths: readonly string[], io: LoadFs = REAL_LOAD_FS): boolean {
  const isDir = (p: string) => {
    try {
      return io.stat(p).isDirectory();
    } catch {
      return false;
    }
  };
  const isFile = (p: string) => {
    try {
      return io.stat(p).isFile();
    } catch {
      return false;
    }
  };
  return paths.length > 0 && paths.every(p => {
    if (!isDir(p)) return false;
    for (let dir = path.resolve(p); ; dir = path.dirname(dir)) {
      if (isFile(path.join(dir, MARKER))) return true;
      if (dir === path.dirname(dir)) return false;
    }
  });
}
