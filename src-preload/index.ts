import { contextBridge, ipcRenderer } from 'electron';
import { createRosterApi } from './roster-api';

// The window gets exactly this: invoke a known channel, listen to a known event. No ipcRenderer, no Node.
contextBridge.exposeInMainWorld('roster', createRosterApi(ipcRenderer));
