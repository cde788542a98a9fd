export * from './versions';
export * from './capabilities';
export * from './target';
