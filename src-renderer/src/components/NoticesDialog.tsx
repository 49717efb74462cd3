import { Modal } from './Modal';
import './notices-dialog.css';

/** The notices main reported about the data folder (migrations, damaged files set aside). */
export function NoticesDialog({ notices, onClose }: { notices: string[]; onClose(): void }) {
  return (
    <Modal
      title="Notices about the data folder"
      onClose={onClose}
      footer={
        <button type="button" className="button button--primary" onClick={onClose} data-autofocus>
          Close
        </button>
      }
    >
      <ul className="notices">
        {notices.map((notice, index) => (
          <li key={index}>{notice}</li>
        ))}
      </ul>
    </Modal>
  );
}
