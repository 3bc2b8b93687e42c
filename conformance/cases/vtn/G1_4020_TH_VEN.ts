import { vtnCase } from './scenarios/common.js';
import { concurrentAandB } from './scenarios/general.js';

export default vtnCase({
  id: 'G1_4020_TH_VEN', delivery: 'pull',
  title: 'VTN - Concurrent A and B operation',
  requirement: 'A VTN offering both profiles serves 2.0a and 2.0b VENs at once (applies only when the VTN offers 2.0a).',
  run: concurrentAandB,
});
