import { vtnCase } from './scenarios/common.js';
import { bootstrap } from './scenarios/registration.js';

export default vtnCase({
  id: 'N1_0020_TH_VEN', delivery: 'pull',
  title: 'VEN Registration - Bootstrap Sequence',
  requirement: 'Registration succeeds with a registrationID and the certificate\'s venID; the VTN then registers its own METADATA (oadrRegisterReport, reportRequestID 0) with the VEN, and the VEN\'s METADATA is answered with oadrRegisteredReport 200.',
  run: bootstrap,
});
