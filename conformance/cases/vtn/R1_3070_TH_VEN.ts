import { vtnCase } from './scenarios/common.js';
import { vtnOneShot } from './scenarios/reports.js';

export default vtnCase({
  id: 'R1_3070_TH_VEN', delivery: 'pull',
  title: 'VTN Reporting - One Shot Report',
  requirement: 'The VEN asks for a one-shot report the VTN offered in its METADATA; oadrCreatedReport 200 and then the report arrive.',
  run: vtnOneShot,
});
