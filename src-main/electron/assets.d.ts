/** electron-vite's `?asset` imports resolve to a file path usable at run time. */
declare module '*?asset' {
  const path: string;
  export default path;
}

/** electron-vite's `?modulePath` imports build the module as an entry of its own and resolve to its path at run time. */
declare module '*?modulePath' {
  const path: string;
  export default path;
}
