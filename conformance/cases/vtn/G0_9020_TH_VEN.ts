import { vtnCase } from './scenarios/common.js';
import { concurrentAandB } from './scenarios/general.js';

export default vtnCase({
  id: 'G0_9020_TH_VEN', delivery: 'push',
  title: 'VTN - Concurrent A and B operation',
  requirement: 'A VTN offering both profiles serves 2.0a and 2.0b VENs at once (applies only when the VTN offers 2.0a).',
  run: concurrentAandB,
});
