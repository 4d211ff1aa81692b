import type { ReactNode } from 'react';
import { Modal } from '../../ui/Modal.js';

/** The library's dialogs: the one modal frame, with room for actions beside the heading. */
export function LibraryModal(props: { id: string; title: string; wide?: boolean; onClose: () => void; children: ReactNode; actions?: ReactNode }) {
  const { id, title, wide, onClose, children, actions } = props;
  return (
    <Modal id={id} className={`library-dialog${wide ? ' wide' : ''}`} onClose={onClose}>
      <div className="library-dialog-head">
        <h2 id={`${id}-heading`}>{title}</h2>
        {actions}
      </div>
      {children}
    </Modal>
  );
}
