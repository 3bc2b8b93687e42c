import { vtnCase } from './scenarios/common.js';
import { emptyPoll } from './scenarios/general.js';

export default vtnCase({
  id: 'G1_4011_TH_VEN', delivery: 'pull',
  title: 'VEN - Empty oadrPoll',
  requirement: 'A registered VEN\'s oadrPoll with nothing queued is answered with oadrResponse 200.',
  run: emptyPoll,
});
