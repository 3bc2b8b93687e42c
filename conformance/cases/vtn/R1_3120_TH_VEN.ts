import { vtnCase } from './scenarios/common.js';
import { vtnPiggyBack } from './scenarios/reports.js';

export default vtnCase({
  id: 'R1_3120_TH_VEN', delivery: 'pull',
  title: 'VTN Reporting - piggy back request',
  requirement: 'The VEN asks for one of the VTN\'s reports in its oadrRegisteredReport; the report arrives.',
  run: vtnPiggyBack,
});
