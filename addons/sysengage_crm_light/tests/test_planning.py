from datetime import date, datetime

from odoo.tests import HttpCase, new_test_user, tagged

from .common import CrmLightCommon


class PlanningCommon:
    @classmethod
    def _create_planning_data(cls, env):
        cls.team_north = env["crm.team"].create({"name": "Team North"})
        cls.team_south = env["crm.team"].create({"name": "Team South"})
        cls.rep_north = new_test_user(
            env, login="plan_rep_north", groups="sysengage_crm_light.group_user", name="Tour Rep"
        )
        cls.rep_south = new_test_user(
            env, login="plan_rep_south", groups="sysengage_crm_light.group_user", name="South Rep"
        )
        cls.team_north.member_ids = cls.rep_north
        cls.team_south.member_ids = cls.rep_south
        cls.partner = env["res.partner"].create({"name": "Alpine AG", "is_company": True})
        Event = env["calendar.event"]
        cls.visit = Event.create(
            {
                "name": "Tour: visit Alpine AG",
                "start": datetime(2026, 5, 4, 9, 0),
                "stop": datetime(2026, 5, 4, 10, 0),
                "user_id": cls.rep_north.id,
                "partner_ids": [(4, cls.partner.id)],
            }
        )
        # a private appointment of the rep: only he may read it (test data created as superuser)
        cls.private = Event.sudo().create(
            {
                "name": "Doctor appointment",
                "start": datetime(2026, 5, 5, 14, 0),
                "stop": datetime(2026, 5, 5, 15, 0),
                "user_id": cls.rep_north.id,
                "privacy": "private",
            }
        )
        cls.other_meeting = Event.create(
            {
                "name": "Other rep meeting",
                "start": datetime(2026, 5, 4, 11, 0),
                "stop": datetime(2026, 5, 4, 12, 0),
                "user_id": cls.rep_south.id,
            }
        )
        cls.call = cls.partner.activity_schedule(
            "sysengage_crm_light.mail_activity_type_phone_call",
            date_deadline=date(2026, 5, 6),
            summary="Tour: call back Alpine AG",
            user_id=cls.rep_north.id,
        )
        done = cls.partner.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=date(2026, 5, 7),
            summary="Done task",
            user_id=cls.rep_south.id,
        )
        done.action_feedback(feedback="ok")
        env.flush_all()


@tagged("post_install", "-at_install")
class TestPlanning(PlanningCommon, CrmLightCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_planning_data(cls.env)

    def _items(self, user=None, domain=()):
        Item = self.env["sysengage.planning.item"]
        if user:
            Item = Item.with_user(user)
        return Item.search([("date_start", ">=", "2026-05-01"), ("date_start", "<", "2026-06-01"), *domain])

    def test_global_view_lists_appointments_and_open_activities(self):
        items = self._items(self.manager)
        self.assertEqual(
            sorted(items.mapped(lambda i: (i.kind, i.display_name, i.user_id.login))),
            [
                ("activity", "Tour: call back Alpine AG", "plan_rep_north"),
                ("event", "Other rep meeting", "plan_rep_south"),
                ("event", "Private appointment", "plan_rep_north"),
                ("event", "Tour: visit Alpine AG", "plan_rep_north"),
            ],
            "a done activity is gone; a private appointment shows as busy",
        )
        call = items.filtered(lambda i: i.kind == "activity")
        self.assertEqual((call.date_start, call.all_day), (datetime(2026, 5, 6), True))
        self.assertEqual((call.res_model, call.res_id), ("res.partner", self.partner.id))
        self.assertEqual(call.action_open_document()["res_id"], self.partner.id)
        private = items.filtered("is_private")
        self.assertFalse(private.name)
        self.assertNotIn("Doctor", private.display_name)

    def test_filter_by_team_and_rep(self):
        north = self._items(self.manager, [("team_id", "=", self.team_north.id)])
        self.assertEqual(north.user_id, self.rep_north)
        self.assertEqual(len(north), 3)
        south = self._items(self.manager, [("user_id", "=", self.rep_south.id)])
        self.assertEqual(south.mapped("name"), ["Other rep meeting"])
        groups = self.env["sysengage.planning.item"]._read_group(
            [("date_start", ">=", "2026-05-01"), ("date_start", "<", "2026-06-01")], ["team_id"], ["__count"]
        )
        self.assertEqual(dict(groups), {self.team_north: 3, self.team_south: 1})

    def test_rep_sees_only_his_own_planning(self):
        self.assertEqual(self._items(self.rep_south).mapped("name"), ["Other rep meeting"])
        self.assertEqual(self._items(self.rep_north).user_id, self.rep_north)


@tagged("post_install", "-at_install")
class TestPlanningTour(PlanningCommon, HttpCase):
    def test_planning_tour(self):
        self._create_planning_data(self.env)
        self.env.ref("base.user_admin").tz = "Europe/Zurich"
        self.start_tour(
            "/odoo",
            "sysengage_crm_light_planning_tour",
            login="admin",
        )
