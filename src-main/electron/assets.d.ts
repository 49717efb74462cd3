/** electron-vite's `?asset` imports resolve to a file path usable at run time. */
declare module '*?asset' {
  const path: string;
  export default path;
}
