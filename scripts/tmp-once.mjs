import { answerLost, concurrentClients, cutDuringHandler, serverRestart } from './attack-once.mjs';
await cutDuringHandler();
await answerLost();
await serverRestart();
await concurrentClients(0);
await concurrentClients(2);
