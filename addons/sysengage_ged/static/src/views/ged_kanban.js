import { useRef, useState, onMounted, onWillUnmount } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { getDataURLFromFile } from "@web/core/utils/urls";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { KanbanController } from "@web/views/kanban/kanban_controller";

/**
 * Documents kanban: an "Upload" button and a drop zone. Files become documents of the record
 * the view was opened from (default_res_model / default_res_id in the action context).
 */
export class SysengageGedKanbanController extends KanbanController {
    static template = "sysengage_ged.KanbanView";

    setup() {
        super.setup();
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.fileInput = useRef("gedFileInput");
        this.dropState = useState({ dragging: false });
        const onDragOver = (ev) => {
            if (ev.dataTransfer && [...ev.dataTransfer.types].includes("Files")) {
                ev.preventDefault();
                this.dropState.dragging = true;
            }
        };
        const onDragLeave = (ev) => {
            if (!this.rootRef.el.contains(ev.relatedTarget)) {
                this.dropState.dragging = false;
            }
        };
        const onDrop = (ev) => {
            if (ev.dataTransfer && ev.dataTransfer.files.length) {
                ev.preventDefault();
                this.dropState.dragging = false;
                this.uploadFiles(ev.dataTransfer.files);
            }
        };
        onMounted(() => {
            this.rootRef.el.addEventListener("dragover", onDragOver);
            this.rootRef.el.addEventListener("dragleave", onDragLeave);
            this.rootRef.el.addEventListener("drop", onDrop);
        });
        onWillUnmount(() => {
            this.rootRef.el.removeEventListener("dragover", onDragOver);
            this.rootRef.el.removeEventListener("dragleave", onDragLeave);
            this.rootRef.el.removeEventListener("drop", onDrop);
        });
    }

    onClickGedUpload() {
        this.fileInput.el.click();
    }

    async onGedFileChange(ev) {
        await this.uploadFiles(ev.target.files);
        ev.target.value = "";
    }

    async uploadFiles(files) {
        const vals = [];
        for (const file of files) {
            const dataUrl = await getDataURLFromFile(file);
            vals.push({ name: file.name, file_name: file.name, datas: dataUrl.split(",")[1] || false });
        }
        if (!vals.length) {
            return;
        }
        await this.orm.create("sysengage.ged.document", vals, { context: this.props.context });
        this.notification.add(vals.map((v) => v.name).join(", "), { type: "success" });
        await this.model.load();
    }
}

export const sysengageGedKanbanView = {
    ...kanbanView,
    Controller: SysengageGedKanbanController,
    buttonTemplate: "sysengage_ged.KanbanView.Buttons",
};

registry.category("views").add("sysengage_ged_kanban", sysengageGedKanbanView);
