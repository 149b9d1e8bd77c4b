export * from './pool-source';
export * from './storage-pool';
export * from './image-source';
export * from './volume';
export * from './data-volume';
export * from './base-image';
