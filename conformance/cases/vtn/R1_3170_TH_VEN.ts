import { vtnCase } from './scenarios/common.js';
import { metadataRequest } from './scenarios/reports.js';

export default vtnCase({
  id: 'R1_3170_TH_VEN', delivery: 'pull', needs: ['requestReports'],
  title: 'VEN Reporting - Metadata Report Request',
  requirement: 'The VTN asks for the VEN\'s METADATA (reportSpecifierID METADATA); the VEN\'s new oadrRegisterReport is answered 200.',
  run: metadataRequest,
});
