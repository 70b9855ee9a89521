import { Activity } from "@mail/core/web/activity";
import { patch } from "@web/core/utils/patch";

patch(Activity.prototype, {
    /** Log the outcome of this phone task's call; the chatter reloads when the wizard closes. */
    async onClickDebtLogCall() {
        const thread = this.thread;
        const action = await this.env.services.orm.call("mail.activity", "action_debt_log_call", [
            [this.props.activity.id],
        ]);
        await this.env.services.action.doAction(action, {
            onClose: () => {
                this.props.onActivityChanged(thread);
                this.props.reloadParentView?.();
            },
        });
    },

    /** The follow-up screen of the customer this task is about. */
    async onClickDebtFollowup() {
        const action = await this.env.services.orm.call("mail.activity", "action_debt_open_followup", [
            [this.props.activity.id],
        ]);
        await this.env.services.action.doAction(action);
    },
});
