import { venCase } from './scenarios/common.js';
import { emptyPoll } from './scenarios/general.js';

export default venCase({
  id: 'G1_4011_TH_VTN', delivery: 'pull',
  title: 'VEN - Empty oadrPoll',
  requirement: 'With nothing queued, the VEN\'s polls get oadrResponse and it keeps polling at the requested frequency.',
  run: emptyPoll,
});
